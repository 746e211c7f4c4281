#include "lock/redis_lock.h"

#include <hiredis/hiredis.h>

#include <stdexcept>

namespace paymentd::lock {
namespace {

constexpr const char* kKeyPrefix = "paymentd:lock:";
constexpr const char* kReleaseScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 "
    "end";
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

void parseRedisUrl(const std::string& url, std::string& host, int& port, int& db) {
  const std::string prefix = "redis://";
  if (url.rfind(prefix, 0) != 0) throw std::invalid_argument("not a redis:// URL: " + url);
  std::string rest = url.substr(prefix.size());
  db = 0;
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    const std::string db_text = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db_text.empty()) {
      std::size_t used = 0;
      db = std::stoi(db_text, &used);
      if (used != db_text.size() || db < 0) throw std::invalid_argument("bad database in " + url);
    }
  }
  if (rest.find('@') != std::string::npos) {
    throw std::invalid_argument("a password in the lock URL is not supported");
  }
  const auto colon = rest.rfind(':');
  host = colon == std::string::npos ? rest : rest.substr(0, colon);
  port = 6379;
  if (colon != std::string::npos) {
    std::size_t used = 0;
    const std::string port_text = rest.substr(colon + 1);
    port = std::stoi(port_text, &used);
    if (used != port_text.size() || port <= 0 || port > 65535) {
      throw std::invalid_argument("bad port in " + url);
    }
  }
  if (host.empty()) throw std::invalid_argument("no host in " + url);
}

RedisLock::RedisLock(std::string host, int port, int db, LockOptions options)
    : host_(std::move(host)), port_(port), db_(db), options_(options) {}

RedisLock::~RedisLock() {
  for (redisContext* context : idle_) redisFree(context);
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
  redisContext* context =
      redisConnectWithTimeout(host_.c_str(), port_, toTimeval(options_.connect_timeout));
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
  if (db_ != 0) {
    Reply reply(static_cast<redisReply*>(redisCommand(context, "SELECT %d", db_)));
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
      error = reply ? std::string("redis: ") + reply->str : describe(context);
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
  Lease lease{key, newLeaseToken()};
  Reply reply(static_cast<redisReply*>(
      redisCommand(context, "SET %b %b NX PX %lld", full_key.data(), full_key.size(),
                   lease.token.data(), lease.token.size(), static_cast<long long>(ttl.count()))));
  if (!reply) {
    // A timed-out SET may still have run; the key then expires by its PX.
    error = describe(context);
    giveBack(context, false);
    return AcquireResult{AcquireStatus::kUnavailable, std::nullopt, error};
  }
  giveBack(context, true);
  if (reply->type == REDIS_REPLY_STATUS) return AcquireResult{AcquireStatus::kAcquired, lease, ""};
  if (reply->type == REDIS_REPLY_NIL) return AcquireResult{AcquireStatus::kHeld, std::nullopt, ""};
  return AcquireResult{AcquireStatus::kUnavailable, std::nullopt,
                       std::string("redis: ") +
                           (reply->type == REDIS_REPLY_ERROR ? reply->str : "unexpected reply")};
}

void RedisLock::release(const Lease& lease) {
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
