// Redis faults: down, hung, restarted. Each test runs its own redis-server on a
// free loopback port, so it can stop and start it.
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "lock/payment_lock.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace paymentd::lock {
namespace {

using namespace std::chrono_literals;

std::uint16_t freePort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  return probe.address().port();
}

class OwnRedis {
 public:
  explicit OwnRedis(std::uint16_t port) : port_(port) { start(); }
  void start() {
    process_ = std::make_unique<testing::BackgroundProcess>(
        "/usr/bin/redis-server",
        std::vector<std::string>{"--port", std::to_string(port_), "--bind", "127.0.0.1", "--save",
                                 "", "--appendonly", "no", "--dir", dir_.path().string()},
        (dir_.path() / "redis.log").string());
    ASSERT_TRUE(testing::waitForOutput(*process_, "Ready to accept connections", 10s))
        << process_->stderrText();
  }
  void stop() {
    process_->signal(SIGTERM);
    process_->waitFor(10s);
  }
  void pause() { process_->signal(SIGSTOP); }
  void resume() { process_->signal(SIGCONT); }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

 private:
  std::uint16_t port_;
  testing::TempDir dir_;
  std::unique_ptr<testing::BackgroundProcess> process_;
};

TEST(RedisLock, IsUnavailableWhenRedisIsDown) {
  auto lock = makePaymentLock("redis://127.0.0.1:" + std::to_string(freePort()) + "/0", {});
  AcquireResult result = lock->acquire("payment:p-1", 10s);
  EXPECT_EQ(result.status, AcquireStatus::kUnavailable);
  EXPECT_EQ(result.error, "redis: Connection refused");
  EXPECT_EQ(lock->unavailableReason(), "redis: Connection refused");
}

TEST(RedisLock, ReconnectsAfterARedisRestart) {
  OwnRedis redis(freePort());
  auto lock = makePaymentLock(redis.url(), {});
  ASSERT_EQ(lock->acquire("payment:a", 10s).status, AcquireStatus::kAcquired);
  redis.stop();
  EXPECT_EQ(lock->acquire("payment:b", 10s).status, AcquireStatus::kUnavailable);
  redis.start();
  EXPECT_EQ(lock->acquire("payment:c", 10s).status, AcquireStatus::kAcquired);
  EXPECT_EQ(lock->unavailableReason(), std::nullopt);
}

TEST(RedisLock, AHungRedisIsUnavailableWithinTheCommandTimeout) {
  OwnRedis redis(freePort());
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
