// Retry now against PortOne's own scheduled retry, across two real daemons on
// PostgreSQL and Redis: an operator asks daemon A to retry a PAST_DUE cycle at
// the moment PortOne runs the cycle's scheduled retry and daemon B receives its
// webhook. Whichever wins, the customer is charged once for the cycle.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "daemon_process.h"
#include "portone/rfc3339.h"
#include "support/own_redis.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::Daemon;
using testing::HttpAnswer;
using testing::httpCall;

const std::string kToken = "admin-token-0123456789abcdef";

std::string json(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

class LifecycleCluster : public testing::ClusterTest {
 protected:
  // Both daemons' config: PortOne's webhooks for scheduled payments go to `webhooks_port`.
  std::string config(const testing::TempDir& dir, std::uint16_t port, std::uint16_t admin_port,
                     std::uint16_t webhooks_port) {
    dir.write("plans.yaml",
              "- {id: monthly-4, name: Monthly, price: 59000, months: 1, lessons_per_month: 4, "
              "trial: false}\n");
    dir.write("api-secret", portone_->options().api_secret + "\n");
    dir.write("webhook-secret", portone_->options().webhook_secret + "\n");
    dir.write("admin-token", kToken + "\n");
    const std::string name = "paymentd-" + std::to_string(port) + ".yaml";
    return dir.write(name,
                     "http: {listen: \"127.0.0.1:" + std::to_string(port) +
                         "\", threads: 16, drain_timeout_s: 5}\n"
                         "admin: {listen: \"127.0.0.1:" +
                         std::to_string(admin_port) +
                         "\", token_file: admin-token}\n"
                         "public_url: \"http://127.0.0.1:" +
                         std::to_string(webhooks_port) + "\"\nstorage: \"" + database_->url() +
                         "\"\nlock: \"" + redis_ +
                         "\"\ncatalog: plans.yaml\n"
                         "portone: {api_base: \"" +
                         portone_->baseUrl() + "\", store_id: \"" + portone_->options().store_id +
                         "\", api_secret_file: api-secret, webhook_secret_files: [webhook-secret], "
                         "request_deadline_ms: 3000, read_timeout_ms: 2000}\n"
                         "outbox: {poll_interval_ms: 20, backoff_base_ms: 10, backoff_max_ms: 50, "
                         "max_attempts: 3}\n"
                         "plugins:\n"
                         "  directories: [\"" +
                         std::string(PAYMENTD_BINARY_DIR) +
                         "/lib/paymentd/plugins\"]\n"
                         "  validators: [amount, duplicate-request, card, payment-status]\n"
                         "  processors: {FIRST_BILLING: first-billing, BILLING: billing}\n"
                         "  notifiers: {admin_slack: {plugin: log}, alimtalk: {plugin: log}, sms: "
                         "{plugin: log}}\n");
  }

  std::int64_t count(const std::string& sql) {
    auto db = database_->open();
    return testing::queryInt(*db, sql);
  }
  std::string text(const std::string& sql) {
    auto db = database_->open();
    return testing::queryText(*db, sql);
  }
  bool waitFor(const std::string& sql, std::int64_t expected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (count(sql) != expected) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  // Moves the sandbox's clock past `time`; returns the scheduled payments it ran.
  std::vector<std::string> advanceSandboxBy(std::int64_t seconds) {
    Poco::JSON::Object body;
    body.set("seconds", seconds);
    const HttpAnswer answer =
        httpCall(portone_->port(), "POST", "/_sandbox/clock/advance", json(body));
    if (answer.status != 200) throw std::runtime_error("sandbox clock: " + answer.body);
    Poco::JSON::Parser parser;
    auto ran =
        parser.parse(answer.body).extract<Poco::JSON::Object::Ptr>()->getArray("ranSchedules");
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < ran->size(); ++i) ids.push_back(ran->getElement<std::string>(i));
    return ids;
  }
  std::int64_t secondsUntil(const std::string& sql_micros) {
    Poco::JSON::Parser parser;
    const auto clock = parser.parse(httpCall(portone_->port(), "GET", "/_sandbox/clock").body)
                           .extract<Poco::JSON::Object::Ptr>();
    const auto now = portone::parseRfc3339(clock->getValue<std::string>("now"));
    const auto at = std::chrono::microseconds(count(sql_micros));
    // A time the sandbox has passed already runs at its next step.
    return std::max<std::int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(at - now->time_since_epoch()).count() + 1,
        1);
  }

  // The payment's status as PortOne shows it; empty when PortOne has no such payment.
  std::string portoneStatus(const std::string& payment_id) {
    const HttpAnswer answer =
        httpCall(portone_->port(), "GET", "/payments/" + payment_id, "",
                 {{"Authorization", "PortOne " + portone_->options().api_secret}});
    if (answer.status == 404) return "";
    Poco::JSON::Parser parser;
    return parser.parse(answer.body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::string>("status");
  }

  void startPastDueCandidate(std::uint16_t port, int n);
};

// Subscription N (user 4N): its first billing paid on daemon A, its card declined once.
void LifecycleCluster::startPastDueCandidate(std::uint16_t port, int n) {
  const std::string user = std::to_string(40 + n);
  Poco::JSON::Object card;
  card.set("billingKey", "card-" + user);
  card.set("customerId", user);
  card.set("declines", 1);
  card.set("then", "succeed");
  ASSERT_EQ(httpCall(portone_->port(), "POST", "/_sandbox/billing-keys", json(card)).status / 100,
            2);
  Poco::JSON::Object payment;
  payment.set("id", "pay-" + user);
  payment.set("status", "PAID");
  payment.set("amount", 59000);
  payment.set("method", "card");
  payment.set("billingKey", "card-" + user);
  payment.set("customerId", user);
  ASSERT_EQ(httpCall(portone_->port(), "POST", "/_sandbox/payments", json(payment)).status, 201);
  ASSERT_EQ(
      testing::deliver(port, testing::signedWebhook(*portone_, "pay-" + user),
                       "user_id=" + user + "&subscribe_id=monthly-4&payment_type=FIRST_BILLING")
          .body,
      R"({"status":"fulfilled"})");
}

TEST_F(LifecycleCluster, RetryNowOnOneDaemonRacingTheScheduledRetryOnAnotherChargesTheCycleOnce) {
  testing::TempDir dir;
  const std::uint16_t port_a = testing::freeLoopbackPort();
  const std::uint16_t port_b = testing::freeLoopbackPort();
  const std::uint16_t admin_a = testing::freeLoopbackPort();
  const std::uint16_t admin_b = testing::freeLoopbackPort();
  Daemon a(dir, "a", config(dir, port_a, admin_a, port_b));
  Daemon b(dir, "b", config(dir, port_b, admin_b, port_b));
  constexpr int kSubscriptions = 3;
  for (int n = 1; n <= kSubscriptions; ++n) startPastDueCandidate(a.port(), n);
  ASSERT_TRUE(
      waitFor("SELECT COUNT(*) FROM payment_schedules WHERE attempt = 1 AND status = "
              "'SCHEDULED'",
              kSubscriptions))
      << a.log();

  // The renewals are declined; daemon B gets the webhooks and schedules the retries (a2).
  ASSERT_EQ(advanceSandboxBy(secondsUntil("SELECT MAX(period_end_us) FROM subscriptions")).size(),
            std::size_t{kSubscriptions});
  ASSERT_TRUE(
      waitFor("SELECT COUNT(*) FROM payment_schedules WHERE attempt = 2 AND status = "
              "'SCHEDULED'",
              kSubscriptions))
      << b.log();
  ASSERT_EQ(count("SELECT COUNT(*) FROM subscriptions WHERE status = 'PAST_DUE'"), kSubscriptions);

  // PortOne runs every a2 (their webhooks go to B) while an operator asks A to retry each
  // subscription now: the first at once, the others later, so that both orders happen.
  const std::int64_t until_a2 =
      secondsUntil("SELECT MAX(time_to_pay_us) FROM payment_schedules WHERE attempt = 2");
  std::vector<std::future<HttpAnswer>> retries;
  for (int n = 1; n <= kSubscriptions; ++n) {
    retries.push_back(std::async(std::launch::async, [&, n] {
      std::this_thread::sleep_for(std::chrono::milliseconds(n == 1 ? 0 : 400 * (n - 1)));
      return httpCall(admin_a, "POST", "/admin/v1/subscriptions/" + std::to_string(n) + "/retry",
                      R"({"reason":"customer called"})",
                      {{"Authorization", "Bearer " + kToken},
                       {"Idempotency-Key", "retry-" + std::to_string(n)},
                       {"X-Actor", "support:lee"}});
    }));
  }
  ASSERT_EQ(advanceSandboxBy(until_a2).size(), std::size_t{kSubscriptions});
  std::set<int> answers;
  for (auto& retry : retries) {
    // 200: A scheduled a3 first (B's fulfilment of a2 then withdrew it); 409: a2 was paid first.
    const HttpAnswer retried = retry.get();
    EXPECT_TRUE(retried.status == 200 || retried.status == 409) << retried.status << retried.body;
    answers.insert(retried.status);
  }
  RecordProperty("retry_now_answers", std::to_string(answers.size()));

  // Settled: every a2 fulfilled on B, every schedule change sent to PortOne.
  ASSERT_TRUE(
      waitFor("SELECT COUNT(*) FROM payments WHERE id LIKE 'paymentd-sub%-c1-a2'", kSubscriptions))
      << b.log();
  ASSERT_TRUE(
      waitFor("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING' AND kind IN "
              "('schedule_payment', 'revoke_schedule')",
              0))
      << a.log() << b.log();
  // Two days later PortOne has charged nothing more for the cycle.
  advanceSandboxBy(2 * 24 * 3600);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // any late webhook lands
  for (int n = 1; n <= kSubscriptions; ++n) {
    const std::string cycle = "paymentd-sub" + std::to_string(n) + "-c1-";
    EXPECT_EQ(portoneStatus(cycle + "a1"), "FAILED");
    EXPECT_EQ(portoneStatus(cycle + "a2"), "PAID");
    const std::string a3 = portoneStatus(cycle + "a3");
    EXPECT_TRUE(a3.empty() || a3 == "READY") << cycle << "a3 is " << a3;  // never run
    EXPECT_EQ(testing::cancels(*portone_, cycle + "a2"), 0);
    EXPECT_EQ(testing::cancels(*portone_, cycle + "a3"), 0);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE id LIKE 'paymentd-sub%-c1-%'"),
            kSubscriptions);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_schedules WHERE cycle = 1 AND status = 'PAID'"),
            kSubscriptions);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_schedules WHERE cycle = 1 AND status IN "
                  "('PENDING', 'SCHEDULED')"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM subscriptions WHERE status = 'ACTIVE'"), kSubscriptions);
}

}  // namespace
}  // namespace paymentd::pipeline
