// Redis faults: down, hung, restarted. Each test runs its own redis-server on a
// free loopback port, so it can stop and start it.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "lock/payment_lock.h"
#include "support/own_redis.h"

namespace paymentd::lock {
namespace {

using namespace std::chrono_literals;
using testing::OwnRedis;

TEST(RedisLock, IsUnavailableWhenRedisIsDown) {
  auto lock = makePaymentLock(
      "redis://127.0.0.1:" + std::to_string(testing::freeLoopbackPort()) + "/0", {});
  AcquireResult result = lock->acquire("payment:p-1", 10s);
  EXPECT_EQ(result.status, AcquireStatus::kUnavailable);
  EXPECT_EQ(result.error, "redis: Connection refused");
  EXPECT_EQ(lock->unavailableReason(), "redis: Connection refused");
}

TEST(RedisLock, ReconnectsAfterARedisRestart) {
  OwnRedis redis;
  auto lock = makePaymentLock(redis.url(), {});
  ASSERT_EQ(lock->acquire("payment:a", 10s).status, AcquireStatus::kAcquired);
  redis.stop();
  EXPECT_EQ(lock->acquire("payment:b", 10s).status, AcquireStatus::kUnavailable);
  redis.start();
  EXPECT_EQ(lock->acquire("payment:c", 10s).status, AcquireStatus::kAcquired);
  EXPECT_EQ(lock->unavailableReason(), std::nullopt);
}

TEST(RedisLock, AHungRedisIsUnavailableWithinTheCommandTimeout) {
  OwnRedis redis;
  LockOptions options;
  options.command_timeout = 300ms;
  auto lock = makePaymentLock(redis.url(), options);
  ASSERT_EQ(lock->acquire("payment:warm", 10s).status, AcquireStatus::kAcquired);
  redis.pause();
  const auto started = std::chrono::steady_clock::now();
  AcquireResult result = lock->acquire("payment:p-1", 10s);
  const auto took = std::chrono::steady_clock::now() - started;
  redis.resume();
  EXPECT_EQ(result.status, AcquireStatus::kUnavailable);
  EXPECT_EQ(result.error, "redis: timed out");
  EXPECT_LT(took, 3s);
}

}  // namespace
}  // namespace paymentd::lock
