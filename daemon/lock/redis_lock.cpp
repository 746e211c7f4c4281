#include "lock/redis_lock.h"

#include <Poco/Logger.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <stdexcept>

namespace paymentd::lock {
namespace {

constexpr const char* kKeyPrefix = "paymentd:lock:";
constexpr const char* kReleaseScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 "
    "end";
// Extends only the caller's own key: a late holder never lengthens a successor's lease.
constexpr const char* kRenewScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], "
    "ARGV[2]) else return 0 end";
constexpr std::size_t kMaxIdle = 16;

timeval toTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

// hiredis 0.14 reports a timeout as an I/O error "Resource temporarily unavailable".
std::string describe(const redisContext* context) {
  std::string text = context->errstr;
  if (text == "Resource temporarily unavailable") text = "timed out";
  return "redis: " + text;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

RedisLock::RedisLock(RedisTarget target, LockOptions options)
    : target_(std::move(target)),
      options_(std::move(options)),
      heartbeat_([this] { heartbeat(); }) {}

RedisLock::~RedisLock() {
  {
    std::lock_guard<std::mutex> guard(held_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  heartbeat_.join();
  // Held keys are not released: like a dead daemon's, they expire within the lease.
  for (redisContext* context : idle_) redisFree(context);
}

void RedisLock::heartbeat() {
  const auto period = std::max(options_.lease / 3, std::chrono::milliseconds(1));
  std::unique_lock<std::mutex> guard(held_mutex_);
  while (!stopping_) {
    wake_.wait_for(guard, period, [this] { return stopping_; });
    if (stopping_ || held_.empty()) continue;
    guard.unlock();
    renewHeld();
    guard.lock();
  }
}

void RedisLock::renewHeld() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, Held>> due;
  {
    std::lock_guard<std::mutex> guard(held_mutex_);
    for (auto it = held_.begin(); it != held_.end();) {
      if (it->second.deadline <= now) {
        it = held_.erase(it);  // its ttl is spent; the last PX ends it then
        continue;
      }
      due.emplace_back(it->first, it->second);
      ++it;
    }
  }
  if (due.empty()) return;
  std::string error;
  redisContext* context = take(error);
  if (context == nullptr) return;  // the next beat tries again, within the lease
  // One round trip for all: a hung Redis costs one command timeout per beat.
  for (const auto& [token, held] : due) {
    const std::string full_key = kKeyPrefix + held.key;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(held.deadline - now).count();
    const std::string px = std::to_string(std::clamp<long long>(left, 1, options_.lease.count()));
    redisAppendCommand(context, "EVAL %s 1 %b %b %b", kRenewScript, full_key.data(),
                       full_key.size(), token.data(), token.size(), px.data(), px.size());
  }
  bool healthy = true;
  for (const auto& [token, held] : due) {
    void* raw = nullptr;
    if (redisGetReply(context, &raw) != REDIS_OK) {
      healthy = false;
      break;
    }
    Reply reply(static_cast<redisReply*>(raw));
    if (reply->type != REDIS_REPLY_INTEGER || reply->integer != 0) continue;
    std::lock_guard<std::mutex> guard(held_mutex_);
    // Released meanwhile: the key is gone because its holder freed it, not lost.
    if (held_.erase(token) == 0) continue;
    held.lost->store(true);
    Poco::Logger::get("paymentd.lock")
        .warning("lock lease lost for " + held.key +
                 ": another worker may process it too (the database still keeps one fulfilment)");
  }
  giveBack(context, healthy);
}

redisContext* RedisLock::take(std::string& error) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!idle_.empty()) {
      redisContext* context = idle_.back();
      idle_.pop_back();
      return context;
    }
  }
  return connect(error);
}

redisContext* RedisLock::connect(std::string& error) const {
  const timeval timeout = toTimeval(options_.connect_timeout);
  redisContext* context = target_.socket.empty()
                              ? redisConnectWithTimeout(target_.host.c_str(), target_.port, timeout)
                              : redisConnectUnixWithTimeout(target_.socket.c_str(), timeout);
  if (context == nullptr) {
    error = "redis: cannot allocate a connection";
    return nullptr;
  }
  if (context->err != 0 ||
      redisSetTimeout(context, toTimeval(options_.command_timeout)) != REDIS_OK) {
    error = describe(context);
    redisFree(context);
    return nullptr;
  }
  // The reply's text, never the command's: the password stays out of every error.
  const auto refused = [&](redisReply* reply, const char* what) {
    if (reply != nullptr && reply->type != REDIS_REPLY_ERROR) return false;
    error =
        reply != nullptr ? std::string("redis: ") + what + ": " + reply->str : describe(context);
    return true;
  };
  if (options_.password) {
    const std::string& password = *options_.password;
    Reply reply(static_cast<redisReply*>(
        target_.user.empty()
            ? redisCommand(context, "AUTH %b", password.data(), password.size())
            : redisCommand(context, "AUTH %b %b", target_.user.data(), target_.user.size(),
                           password.data(), password.size())));
    if (refused(reply.get(), "AUTH")) {
      redisFree(context);
      return nullptr;
    }
  }
  if (target_.db != 0) {
    Reply reply(static_cast<redisReply*>(redisCommand(context, "SELECT %d", target_.db)));
    if (refused(reply.get(), "SELECT")) {
      redisFree(context);
      return nullptr;
    }
  }
  return context;
}

void RedisLock::giveBack(redisContext* context, bool healthy) {
  if (healthy) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (idle_.size() < kMaxIdle) {
      idle_.push_back(context);
      return;
    }
  }
  redisFree(context);  // an errored context stays errored: never reuse it
}

AcquireResult RedisLock::acquire(const std::string& key, std::chrono::milliseconds ttl) {
  std::string error;
  redisContext* context = take(error);
  if (context == nullptr) return AcquireResult{AcquireStatus::kUnavailable, std::nullopt, error};
  const std::string full_key = kKeyPrefix + key;
  const auto acquired_at = std::chrono::steady_clock::now();
  Lease lease{key, newLeaseToken(), std::make_shared<std::atomic<bool>>(false)};
  const auto px = std::min(ttl, options_.lease);
  Reply reply(static_cast<redisReply*>(
      redisCommand(context, "SET %b %b NX PX %lld", full_key.data(), full_key.size(),
                   lease.token.data(), lease.token.size(), static_cast<long long>(px.count()))));
  if (!reply) {
    // A timed-out SET may still have run; the key then expires by its PX.
    error = describe(context);
    giveBack(context, false);
    return AcquireResult{AcquireStatus::kUnavailable, std::nullopt, error};
  }
  giveBack(context, true);
  if (reply->type == REDIS_REPLY_STATUS) {
    if (ttl > px) {
      std::lock_guard<std::mutex> guard(held_mutex_);
      held_.emplace(lease.token, Held{key, acquired_at + ttl, lease.lost_flag});
    }
    return AcquireResult{AcquireStatus::kAcquired, lease, ""};
  }
  if (reply->type == REDIS_REPLY_NIL) return AcquireResult{AcquireStatus::kHeld, std::nullopt, ""};
  return AcquireResult{AcquireStatus::kUnavailable, std::nullopt,
                       std::string("redis: ") +
                           (reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply")};
}

void RedisLock::release(const Lease& lease) {
  {
    std::lock_guard<std::mutex> guard(held_mutex_);
    held_.erase(lease.token);
  }
  std::string error;
  redisContext* context = take(error);
  if (context == nullptr) return;
  const std::string full_key = kKeyPrefix + lease.key;
  Reply reply(static_cast<redisReply*>(redisCommand(context, "EVAL %s 1 %b %b", kReleaseScript,
                                                    full_key.data(), full_key.size(),
                                                    lease.token.data(), lease.token.size())));
  giveBack(context, reply != nullptr);
}

std::optional<std::string> RedisLock::unavailableReason() {
  std::string error;
  redisContext* context = take(error);
  if (context == nullptr) return error;
  Reply reply(static_cast<redisReply*>(redisCommand(context, "PING")));
  if (!reply) {
    error = describe(context);
    giveBack(context, false);
    return error;
  }
  giveBack(context, true);
  return std::nullopt;
}

}  // namespace paymentd::lock
