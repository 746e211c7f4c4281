// Real paymentd processes: two daemons sharing PostgreSQL and Redis behind one
// PortOne (the sandbox), and outages of the database and of Redis.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

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

using DaemonCluster = testing::ClusterTest;

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

namespace paymentd::pipeline {
namespace {

// SIGHUP ten times while webhooks and polls keep coming: no request fails, each good
// reload is in effect for the payments after it, and a broken one changes nothing.
TEST(DaemonReload, TenReloadsUnderLoadFailNoRequest) {
  sandbox::Sandbox portone(sandbox::SandboxOptions{});
  portone.start();
  testing::TempDir dir;
  testing::TestDatabase database(storage::Backend::kSqlite);
  const std::string all = "amount, duplicate-request, card, payment-status, duplicate-lesson";
  const std::string fewer = "amount, duplicate-request, payment-status";
  const std::string config = testing::clusterConfig(dir, database.url(), "local", portone, all);
  const std::string good_all = testing::TempDir::readFile(config);
  testing::clusterConfig(dir, database.url(), "local", portone, fewer);
  const std::string good_fewer = testing::TempDir::readFile(config);
  const std::string broken = good_all + "nonsense: [\n";

  dir.write("paymentd.yaml", good_all);
  std::atomic<int> failures{0};
  std::atomic<int> fulfilled{0};
  std::atomic<bool> stop{false};
  std::string first_failure;
  std::mutex failure_mutex;
  {
    testing::Daemon daemon(dir, "daemon", config);
    std::thread load([&] {
      for (int i = 0; !stop.load() && i < 2000; ++i) {
        const std::string id = "reload-" + std::to_string(i);
        testing::createPaidPaymentFor(portone, id, "user-" + std::to_string(i));
        const auto webhook = testing::signedWebhook(portone, id);
        HttpAnswer answer;
        HttpAnswer poll;
        try {
          answer = testing::deliver(daemon.port(), webhook,
                                    "user_id=user-" + std::to_string(i) +
                                        "&subscribe_id=monthly-4&payment_type=FIRST_BILLING");
          poll = httpCall(daemon.port(), "GET", "/api/v1/payment/check/" + id);
        } catch (const std::exception& e) {
          answer.body = e.what();
        }
        if (answer.body == R"({"status":"fulfilled"})" && poll.status == 200) {
          ++fulfilled;
        } else {
          ++failures;
          std::lock_guard<std::mutex> guard(failure_mutex);
          if (first_failure.empty()) first_failure = id + ": " + answer.body + " / " + poll.body;
        }
      }
    });
    for (int reload = 1; reload <= 10; ++reload) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      dir.write("paymentd.yaml", reload == 5 ? broken : reload % 2 == 0 ? good_all : good_fewer);
      daemon.signal(SIGHUP);
      const std::string expected =
          reload == 5 ? "reload refused result=refused" : "msg=\"reloaded result=";
      const auto count = [&](const std::string& needle) {
        const std::string log = daemon.log();
        int n = 0;
        for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1))
          ++n;
        return n;
      };
      const int want = reload == 5 ? 1 : (reload < 5 ? reload : reload - 1);
      for (int wait = 0; wait < 200 && count(expected) < want; ++wait) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ASSERT_EQ(count(expected), want) << "reload " << reload << "\n" << daemon.log();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    load.join();
  }
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_GT(fulfilled.load(), 10);

  // The last good reload (10: all five validators) is what the last payments ran.
  auto db = database.open();
  const std::string last = testing::queryText(
      *db,
      "SELECT payment_id FROM payment_events WHERE stage = 'committed' ORDER BY id DESC LIMIT 1");
  EXPECT_EQ(testing::queryInt(*db, "SELECT COUNT(*) FROM payment_events WHERE payment_id = '" +
                                       last + "' AND stage LIKE 'validator:%'"),
            5);
  // Payments run under the "fewer" set show three validators.
  EXPECT_GT(
      testing::queryInt(*db,
                        "SELECT COUNT(*) FROM (SELECT payment_id FROM payment_events WHERE "
                        "stage LIKE 'validator:%' GROUP BY payment_id HAVING COUNT(*) = 3) t"),
      0);
  portone.stop();
}

}  // namespace
}  // namespace paymentd::pipeline
