// The lock contract, for both locks: one holder per key, release by token only,
// expiry, and exactly one winner among racing workers.
#include "lock/payment_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "config/password_file.h"
#include "config/redis_url.h"
#include "support/test_servers.h"

namespace paymentd::lock {
namespace {

using namespace std::chrono_literals;

class PaymentLockTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url = "local";
    LockOptions options;
    if (GetParam() == "redis") {
      PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
      url = redis;
    } else if (GetParam() != "local") {
      // The requirepass Redis, over TCP or its Unix socket, with the password from its file.
      const char* variable =
          GetParam() == "redis_auth" ? "PAYMENTD_TEST_REDIS_AUTH" : "PAYMENTD_TEST_REDIS_SOCKET";
      PAYMENTD_REQUIRE_SERVER(redis, variable);
      PAYMENTD_REQUIRE_SERVER(password_file, "PAYMENTD_TEST_REDIS_PASSWORD_FILE");
      url = redis;
      options.password = config::readPasswordFile(password_file).password;
      ASSERT_TRUE(options.password.has_value()) << password_file;
    }
    lock_ = makePaymentLock(url, options);
    // Keys unique per test, so runs against a shared Redis never collide.
    key_ = "payment:" + newLeaseToken();
  }

  std::unique_ptr<PaymentLock> lock_;
  std::string key_;
};

TEST_P(PaymentLockTest, SecondAcquireIsHeldUntilRelease) {
  AcquireResult first = lock_->acquire(key_, 10s);
  ASSERT_EQ(first.status, AcquireStatus::kAcquired) << first.error;
  EXPECT_EQ(lock_->acquire(key_, 10s).status, AcquireStatus::kHeld);
  EXPECT_EQ(lock_->acquire(key_ + "-other", 10s).status, AcquireStatus::kAcquired);
  lock_->release(*first.lease);
  EXPECT_EQ(lock_->acquire(key_, 10s).status, AcquireStatus::kAcquired);
}

TEST_P(PaymentLockTest, ALateHolderNeverFreesItsSuccessorsLease) {
  AcquireResult first = lock_->acquire(key_, 100ms);
  ASSERT_EQ(first.status, AcquireStatus::kAcquired);
  std::this_thread::sleep_for(250ms);  // the first lease expired
  AcquireResult second = lock_->acquire(key_, 10s);
  ASSERT_EQ(second.status, AcquireStatus::kAcquired);
  lock_->release(*first.lease);  // the late holder finishes
  EXPECT_EQ(lock_->acquire(key_, 10s).status, AcquireStatus::kHeld);
  lock_->release(*second.lease);
  EXPECT_EQ(lock_->acquire(key_, 10s).status, AcquireStatus::kAcquired);
}

TEST_P(PaymentLockTest, ExactlyOneOfManyRacingWorkersWins) {
  std::atomic<int> acquired{0};
  std::atomic<int> held{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 8; ++i) {
    workers.emplace_back([&] {
      AcquireResult result = lock_->acquire(key_, 10s);
      if (result.status == AcquireStatus::kAcquired) ++acquired;
      if (result.status == AcquireStatus::kHeld) ++held;
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(acquired.load(), 1);
  EXPECT_EQ(held.load(), 7);
}

TEST_P(PaymentLockTest, GuardReleasesOnScopeExit) {
  {
    AcquireResult result = lock_->acquire(key_, 10s);
    ASSERT_EQ(result.status, AcquireStatus::kAcquired);
    LeaseGuard guard(*lock_, *result.lease);
  }
  EXPECT_EQ(lock_->acquire(key_, 10s).status, AcquireStatus::kAcquired);
  EXPECT_EQ(lock_->unavailableReason(), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(EveryLock, PaymentLockTest,
                         ::testing::Values("local", "redis", "redis_auth", "redis_unix"),
                         [](const auto& test_param) { return test_param.param; });

// A requirepass Redis: without the password, or with a wrong one, the lock is
// unavailable (503), and the reason never holds the password.
TEST(RedisAuth, WithoutTheRightPasswordTheLockIsUnavailable) {
  PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS_AUTH");
  auto anonymous = makePaymentLock(redis, {});
  const AcquireResult refused = anonymous->acquire("payment:" + newLeaseToken(), 1s);
  EXPECT_EQ(refused.status, AcquireStatus::kUnavailable);
  EXPECT_NE(refused.error.find("NOAUTH"), std::string::npos) << refused.error;

  LockOptions wrong;
  wrong.password = "not-the-password-42";
  auto impostor = makePaymentLock(redis, wrong);
  const AcquireResult denied = impostor->acquire("payment:" + newLeaseToken(), 1s);
  EXPECT_EQ(denied.status, AcquireStatus::kUnavailable);
  EXPECT_NE(denied.error.find("redis: AUTH: "), std::string::npos) << denied.error;
  EXPECT_EQ(denied.error.find("not-the-password-42"), std::string::npos) << denied.error;
  EXPECT_EQ(impostor->unavailableReason(), denied.error);
}

TEST(PaymentLockUrl, RefusesWhatItCannotUse) {
  EXPECT_THROW(makePaymentLock("memcached://x", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("redis://:secret@127.0.0.1:6379/0", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("redis://user:secret@127.0.0.1:6379/0", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("redis://127.0.0.1:99999/0", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("redis://127.0.0.1:/0", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("unix:relative.sock", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("unix:/run/redis.sock?timeout=1", {}), std::invalid_argument);
}

TEST(PaymentLockUrl, ReadsTcpUnixAndAclUsers) {
  const RedisTarget tcp = parseRedisUrl("redis://paymentd@[::1]:6380/3");
  EXPECT_EQ(tcp.host, "::1");
  EXPECT_EQ(tcp.port, 6380);
  EXPECT_EQ(tcp.db, 3);
  EXPECT_EQ(tcp.user, "paymentd");
  EXPECT_EQ(tcp.socket, "");
  EXPECT_EQ(parseRedisUrl("redis://cache").port, 6379);
  EXPECT_EQ(parseRedisUrl("redis://[::1]").host, "::1");
  const RedisTarget unix_socket = parseRedisUrl("unix:///run/redis/redis.sock?db=2");
  EXPECT_EQ(unix_socket.socket, "/run/redis/redis.sock");
  EXPECT_EQ(unix_socket.db, 2);
  EXPECT_EQ(unix_socket.host, "");
  EXPECT_EQ(parseRedisUrl("unix:/run/redis.sock").socket, "/run/redis.sock");
}

}  // namespace
}  // namespace paymentd::lock
