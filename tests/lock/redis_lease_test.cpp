// The Redis lock's lease: a dead holder's key frees itself within the lease, a
// live holder's heartbeat keeps its key while the work runs, and a renewal never
// touches a key that another token holds (issue 20, defect 15).
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <iostream>
#include <thread>

#include "lock/payment_lock.h"
#include "lock/redis_lock.h"
#include "support/test_servers.h"

namespace paymentd::lock {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The key RedisLock stores a lease under.
std::string redisKey(const std::string& key) {
  return "paymentd:lock:" + key;
}

// A plain connection, to look at and tamper with the keys behind the lock's back.
class RawRedis {
 public:
  explicit RawRedis(const std::string& url) {
    const RedisTarget target = parseRedisUrl(url);
    context_ = redisConnect(target.host.c_str(), target.port);
    if (context_ != nullptr && context_->err == 0 && target.db != 0)
      command("SELECT " + std::to_string(target.db));
  }
  ~RawRedis() { redisFree(context_); }
  RawRedis(const RawRedis&) = delete;
  RawRedis& operator=(const RawRedis&) = delete;

  bool ok() const { return context_ != nullptr && context_->err == 0; }

  // The reply as text: a string, an integer, or "(nil)".
  std::string command(const std::string& text) {
    auto* reply = static_cast<redisReply*>(redisCommand(context_, text.c_str()));
    if (reply == nullptr) return "(no reply)";
    std::string result = "(nil)";
    if (reply->type == REDIS_REPLY_INTEGER) result = std::to_string(reply->integer);
    if (reply->str != nullptr) result = std::string(reply->str, reply->len);
    freeReplyObject(reply);
    return result;
  }

 private:
  redisContext* context_ = nullptr;
};

class RedisLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
    url_ = redis;
    key_ = "payment:" + newLeaseToken();
  }

  static LockOptions shortLease() {
    LockOptions options;
    options.lease = 300ms;
    return options;
  }

  std::string url_;
  std::string key_;
};

// What the issue measured: production defaults (a 60 s ttl), the holder killed
// mid-work. Before the lease, the key lived the whole 60 s.
TEST_F(RedisLeaseTest, ADeadHoldersKeyIsFreeWithinTenSeconds) {
  auto holder = makePaymentLock(url_, LockOptions{});
  ASSERT_EQ(holder->acquire(key_, 60s).status, AcquireStatus::kAcquired);
  holder.reset();  // dies without release: no heartbeat, no DEL
  const auto died = Clock::now();

  auto survivor = makePaymentLock(url_, LockOptions{});
  AcquireStatus status = AcquireStatus::kHeld;
  while (status == AcquireStatus::kHeld && Clock::now() - died < 10s) {
    status = survivor->acquire(key_, 60s).status;
    if (status == AcquireStatus::kHeld) std::this_thread::sleep_for(50ms);
  }
  const auto free_after =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - died);
  std::cout << "free " << free_after.count() << " ms after the holder died\n";
  RecordProperty("free_after_death_ms", static_cast<int>(free_after.count()));
  EXPECT_EQ(status, AcquireStatus::kAcquired);
  EXPECT_LE(free_after, 5s + 500ms);  // within one default lease (plus a poll)
}

TEST_F(RedisLeaseTest, ALiveHolderKeepsItsKeyForManyLeases) {
  auto holder = makePaymentLock(url_, shortLease());
  auto rival = makePaymentLock(url_, shortLease());
  AcquireResult held = holder->acquire(key_, 60s);
  ASSERT_EQ(held.status, AcquireStatus::kAcquired);
  LeaseGuard guard(*holder, *held.lease);
  // The work runs for 2 s, about seven leases: the rival is refused all along.
  const auto started = Clock::now();
  while (Clock::now() - started < 2s) {
    ASSERT_EQ(rival->acquire(key_, 60s).status, AcquireStatus::kHeld)
        << "after " << (Clock::now() - started) / 1ms << " ms";
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_FALSE(guard.lost());
  // A key is never kept for longer than a lease past the last renewal.
  RawRedis raw(url_);
  ASSERT_TRUE(raw.ok());
  EXPECT_LE(std::stoll(raw.command("PTTL " + redisKey(key_))), 300);
}

TEST_F(RedisLeaseTest, ALiveHolderKeepsItsKeyForNoLongerThanItsTtl) {
  auto holder = makePaymentLock(url_, shortLease());
  auto rival = makePaymentLock(url_, shortLease());
  AcquireResult held = holder->acquire(key_, 700ms);
  ASSERT_EQ(held.status, AcquireStatus::kAcquired);
  std::this_thread::sleep_for(400ms);  // past one lease: renewed
  EXPECT_EQ(rival->acquire(key_, 60s).status, AcquireStatus::kHeld);
  std::this_thread::sleep_for(500ms);  // past the ttl: renewal stopped at it
  EXPECT_EQ(rival->acquire(key_, 60s).status, AcquireStatus::kAcquired);
}

TEST_F(RedisLeaseTest, ALateHolderNeverExtendsAnothersLease) {
  RawRedis raw(url_);
  ASSERT_TRUE(raw.ok());
  auto holder = makePaymentLock(url_, shortLease());
  AcquireResult held = holder->acquire(key_, 60s);
  ASSERT_EQ(held.status, AcquireStatus::kAcquired);
  LeaseGuard guard(*holder, *held.lease);
  // As if the holder had stalled past its lease and another worker took the key.
  ASSERT_EQ(raw.command("SET " + redisKey(key_) + " successor PX 2000"), "OK");
  std::this_thread::sleep_for(1s);  // three renewal periods
  EXPECT_EQ(raw.command("GET " + redisKey(key_)), "successor");
  // Untouched: about 1 s of the successor's 2 s is left, neither reset nor cut to a lease.
  const long long left = std::stoll(raw.command("PTTL " + redisKey(key_)));
  EXPECT_GT(left, 600);
  EXPECT_LT(left, 1100);
  EXPECT_TRUE(guard.lost());
}

}  // namespace
}  // namespace paymentd::lock
