// Real paymentd processes: two daemons sharing PostgreSQL and Redis behind one
// PortOne (the sandbox), and outages of the database and of Redis.
#include <gtest/gtest.h>
#include <signal.h>

#include <future>

#include "daemon_process.h"
#include "support/own_redis.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::cancels;
using testing::clusterConfig;
using testing::createPaidPayment;
using testing::Daemon;
using testing::deliver;
using testing::HttpAnswer;
using testing::httpCall;
using testing::SignedWebhook;
using testing::signedWebhook;

class DaemonCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(storage::Backend::kPostgres);
    PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
    redis_ = redis;
    database_ = std::make_unique<testing::TestDatabase>(storage::Backend::kPostgres);
    portone_ = std::make_unique<sandbox::Sandbox>(sandbox::SandboxOptions{});
    portone_->start();
  }
  void TearDown() override {
    if (portone_) portone_->stop();
  }

  std::string redis_;
  std::unique_ptr<testing::TestDatabase> database_;
  std::unique_ptr<sandbox::Sandbox> portone_;
};

TEST_F(DaemonCluster, ADuplicateStormOnTwoDaemonsFulfilsOnceAndRefundsNothing) {
  testing::TempDir dir;
  const std::string config = clusterConfig(dir, database_->url(), redis_, *portone_);
  Daemon first(dir, "first", config);
  Daemon second(dir, "second", config);
  createPaidPayment(*portone_, "storm-1");
  const SignedWebhook webhook = signedWebhook(*portone_, "storm-1");

  std::vector<std::future<HttpAnswer>> answers;
  for (int i = 0; i < 20; ++i) {
    const std::uint16_t port = i % 2 == 0 ? first.port() : second.port();
    answers.push_back(
        std::async(std::launch::async, [port, &webhook] { return deliver(port, webhook); }));
  }
  int fulfilled = 0;
  for (auto& answer : answers) {
    const HttpAnswer a = answer.get();
    EXPECT_TRUE(a.status == 200 || a.status == 409) << a.status << " " << a.body;
    fulfilled += a.body == R"({"status":"fulfilled"})" ? 1 : 0;
  }
  EXPECT_EQ(fulfilled, 1);
  auto db = database_->open();
  EXPECT_EQ(testing::queryInt(*db, "SELECT COUNT(*) FROM subscriptions"), 1);
  EXPECT_EQ(testing::queryInt(*db, "SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(cancels(*portone_, "storm-1"), 0);
}

TEST_F(DaemonCluster, RedisDownIs503WithoutRefundAndRecoveryFulfils) {
  testing::OwnRedis own_redis;
  testing::TempDir dir;
  Daemon daemon(dir, "daemon", clusterConfig(dir, database_->url(), own_redis.url(), *portone_));
  createPaidPayment(*portone_, "redis-1");
  own_redis.stop();

  HttpAnswer down = deliver(daemon.port(), signedWebhook(*portone_, "redis-1"));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body, R"({"status":"unavailable","code":"LOCK_UNAVAILABLE"})");
  EXPECT_EQ(httpCall(daemon.port(), "GET", "/readyz").status, 503);
  EXPECT_EQ(cancels(*portone_, "redis-1"), 0);

  own_redis.start();
  HttpAnswer up = deliver(daemon.port(), signedWebhook(*portone_, "redis-1"));
  EXPECT_EQ(up.body, R"({"status":"fulfilled"})");
  EXPECT_EQ(
      httpCall(daemon.port(), "GET", "/api/v1/payment/check/redis-1").body,
      R"({"data":{"paymentId":"redis-1","status":"completed","paymentType":"FIRST_BILLING","reason":null,"refunded":false}})");
}

}  // namespace
}  // namespace paymentd::pipeline
