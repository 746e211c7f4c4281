// The lock contract, for both locks: one holder per key, release by token only,
// expiry, and exactly one winner among racing workers.
#include "lock/payment_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/test_servers.h"

namespace paymentd::lock {
namespace {

using namespace std::chrono_literals;

class PaymentLockTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url = "local";
    if (GetParam() == "redis") {
      PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
      url = redis;
    }
    lock_ = makePaymentLock(url, LockOptions{});
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

INSTANTIATE_TEST_SUITE_P(BothLocks, PaymentLockTest, ::testing::Values("local", "redis"),
                         [](const auto& test_param) { return test_param.param; });

TEST(PaymentLockUrl, RefusesWhatItCannotUse) {
  EXPECT_THROW(makePaymentLock("memcached://x", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("redis://:secret@127.0.0.1:6379/0", {}), std::invalid_argument);
  EXPECT_THROW(makePaymentLock("redis://127.0.0.1:99999/0", {}), std::invalid_argument);
}

}  // namespace
}  // namespace paymentd::lock
