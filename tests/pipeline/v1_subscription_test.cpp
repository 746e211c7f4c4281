// PortOne V1 (Iamport) subscribers end to end, through the daemon's own wiring on both
// deployments: `subscription import`, the V1 schedule it makes at the sandbox, the
// sandbox running it and posting V1's unsigned webhook, the same decisions as V2 (a
// fulfilment once, a counted decline, a refund once through V1's cancel with its
// checksum, 503 for V1's outage), and the move to V2 when the card changes.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "paymentd/calendar.h"
#include "pipeline_harness.h"
#include "portone/rfc3339.h"
#include "storage/time_codec.h"
#include "support/subprocess.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using Poco::JSON::Object;
using testing::HarnessOptions;
using testing::HttpAnswer;
using testing::PipelineHarness;

constexpr const char* kToken = "v1-test-admin-token-0123456789";
constexpr const char* kFirstRenewal = "paymentd-sub1-c1-a1";

std::string toJson(const Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Object::Ptr>();
}

std::string v1Webhook(const std::string& imp_uid, const std::string& merchant_uid,
                      const std::string& status) {
  Object body;
  body.set("imp_uid", imp_uid);
  body.set("merchant_uid", merchant_uid);
  body.set("status", status);
  return toJson(body);
}

// The sandbox's V1 schedule of `merchant_uid`, with the request it came as; null when none.
Object::Ptr v1ScheduleAt(std::uint16_t sandbox_port, const std::string& merchant_uid) {
  const auto list = parse(testing::httpCall(sandbox_port, "GET", "/_sandbox/v1/schedules").body)
                        ->getArray("schedules");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = list->getObject(static_cast<unsigned>(i));
    if (item->getValue<std::string>("merchant_uid") == merchant_uid) return item;
  }
  return nullptr;
}

// Waits until the sandbox's delivery of V1's webhook for `merchant_uid` was answered 200.
bool v1WebhookAnswered(std::uint16_t sandbox_port, const std::string& merchant_uid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto deliveries = parse(testing::httpCall(sandbox_port, "GET", "/_sandbox/webhooks").body)
                                ->getArray("deliveries");
    for (std::size_t i = 0; i < deliveries->size(); ++i) {
      const auto delivery = deliveries->getObject(static_cast<unsigned>(i));
      if (delivery->getValue<std::string>("paymentId") == merchant_uid &&
          delivery->getValue<int>("status") == 200) {
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

template <typename Backend>
class V1SubscriptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kBackend);
    start(true);
    // Whole seconds: V1 schedules in unix seconds.
    period_end_ = std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::system_clock::now() + std::chrono::hours(24));
  }

  void start(bool portone_v1) {
    harness_.reset();
    HarnessOptions options;
    options.every_processor = true;
    options.admin_token = kToken;
    options.portone_v1 = portone_v1;
    if (Backend::kBackend == storage::Backend::kPostgres) {
      PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
      options.lock_url = redis;
    }
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  PipelineHarness& h() { return *harness_; }

  testing::ProcessResult import(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"subscription",
                                  "import",
                                  "--user=42",
                                  "--plan=monthly-4",
                                  "--customer-uid=cuid-42",
                                  "--period-end=" + portone::formatRfc3339(period_end_)};
    args.insert(args.end(), extra.begin(), extra.end());
    return h().cli(args);
  }
  // Imports user 42's V1 subscription (id 1) and lets the outbox schedule it at V1.
  void importAndSchedule(std::vector<std::string> extra = {}) {
    const testing::ProcessResult imported = import(std::move(extra));
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    ASSERT_EQ(imported.out, "1\n");
    ASSERT_EQ(h().drainOutbox(), 1u);
  }
  Object::Ptr v1Schedule(const std::string& merchant_uid) {
    return v1ScheduleAt(h().sandboxPort(), merchant_uid);
  }
  // A V1 payment as PortOne V1 shows it (the sandbox's control API).
  void createV1Payment(const std::string& imp_uid, const std::string& status, std::int64_t amount,
                       const std::string& merchant_uid = kFirstRenewal) {
    Object payment;
    payment.set("imp_uid", imp_uid);
    payment.set("merchant_uid", merchant_uid);
    payment.set("status", status);
    payment.set("amount", amount);
    payment.set("customer_uid", "cuid-42");
    payment.set("customer_uid_usage", "payment.scheduled");
    if (status == "failed") payment.set("fail_reason", "card declined");
    ASSERT_EQ(testing::httpCall(h().sandboxPort(), "POST", "/_sandbox/v1/payments", toJson(payment))
                  .status,
              201);
  }
  std::string scheduleVersion(const std::string& payment_id) {
    return h().text("SELECT portone_version FROM payment_schedules WHERE payment_id = '" +
                    payment_id + "'");
  }
  bool webhookAnswered(const std::string& merchant_uid) {
    return v1WebhookAnswered(h().sandboxPort(), merchant_uid);
  }

  Timestamp period_end_;
  std::unique_ptr<PipelineHarness> harness_;
};

using Backends = ::testing::Types<testing::SqliteBackend, testing::PostgresBackend>;
TYPED_TEST_SUITE(V1SubscriptionTest, Backends, testing::BackendNames);

TYPED_TEST(V1SubscriptionTest, ImportedSubscriptionRenewsThroughV1Once) {
  auto& h = this->h();
  this->importAndSchedule({"--price=55000"});
  // Import twice is one subscription with one schedule.
  const testing::ProcessResult again = this->import({"--price=55000"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "1\n");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules"), 1);
  EXPECT_EQ(h.drainOutbox(), 0u);

  const auto schedule = this->v1Schedule(kFirstRenewal);
  ASSERT_TRUE(schedule);
  EXPECT_EQ(schedule->template getValue<std::string>("customer_uid"), "cuid-42");
  EXPECT_EQ(schedule->template getValue<std::int64_t>("amount"), 55000);
  EXPECT_EQ(schedule->template getValue<std::int64_t>("schedule_at"),
            std::chrono::duration_cast<std::chrono::seconds>(this->period_end_.time_since_epoch())
                .count());
  EXPECT_EQ(schedule->getObject("request")->template getValue<std::string>("notice_url"),
            "http://127.0.0.1:" + std::to_string(h.port()) + "/api/v1/payment/webhook/iamport");
  const HttpAnswer user = h.admin("GET", "/admin/v1/users/42");
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(parse(user.body)
                ->getObject("data")
                ->getArray("subscriptions")
                ->getObject(0)
                ->template getValue<std::string>("portoneVersion"),
            "V1");

  // The sandbox charges it and posts V1's webhook: fulfilled once.
  ASSERT_EQ(h.advanceSandboxTo(this->period_end_).size(), 1u);
  ASSERT_TRUE(h.waitForCount(
      std::string("SELECT COUNT(*) FROM payments WHERE id = '") + kFirstRenewal + "'", 1));
  ASSERT_TRUE(this->webhookAnswered(kFirstRenewal));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE subscription_id = 1"), 1);
  EXPECT_EQ(storage::fromMicros(h.count("SELECT period_end_us FROM subscriptions WHERE id = 1")),
            addMonths(this->period_end_, 1));
  EXPECT_EQ(this->scheduleVersion("paymentd-sub1-c2-a1"), "V1");
  ASSERT_EQ(h.drainOutbox(), 1u);
  const auto next = this->v1Schedule("paymentd-sub1-c2-a1");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->template getValue<std::int64_t>("amount"), 59000);  // the plan's price now

  // A redelivery (V1 duplicates a webhook whose answer was lost) changes nothing.
  const std::string imp_uid =
      this->v1Schedule(kFirstRenewal)->template getValue<std::string>("imp_uid");
  const HttpAnswer redelivered = h.sendV1Webhook(v1Webhook(imp_uid, kFirstRenewal, "paid"));
  EXPECT_EQ(redelivered.status, 200);
  EXPECT_EQ(redelivered.body, R"({"status":"already_fulfilled","code":"ALREADY_FULFILLED"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules"), 2);
  EXPECT_EQ(h.drainOutbox(), 0u);
}

TYPED_TEST(V1SubscriptionTest, ARenewalWhoseV1WebhookWasLostIsReadAtV1ByTheReconciler) {
  auto& h = this->h();
  this->importAndSchedule();
  h.dropNextWebhooks(1);  // V1 charges; its webhook never arrives
  ASSERT_EQ(h.advanceSandboxTo(this->period_end_).size(), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);

  EXPECT_EQ(h.reconcileAt(this->period_end_ + std::chrono::hours(1)), 1u);
  EXPECT_EQ(
      h.count(std::string("SELECT COUNT(*) FROM payments WHERE id = '") + kFirstRenewal + "'"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE subscription_id = 1"), 1);
  EXPECT_EQ(this->scheduleVersion("paymentd-sub1-c2-a1"), "V1");
  // Read where it was scheduled: V2 never asked about it.
  EXPECT_EQ(h.portoneRequests("GET", std::string("/payments/") + kFirstRenewal), 0);
  // A second pass finds nothing left.
  EXPECT_EQ(h.reconcileAt(this->period_end_ + std::chrono::hours(2)), 0u);
}

TYPED_TEST(V1SubscriptionTest, PaidHintWhileV1ShowsFailedIsACountedDecline) {
  auto& h = this->h();
  this->importAndSchedule();
  this->createV1Payment("imp-failed", "failed", 59000);
  const HttpAnswer answer = h.sendV1Webhook(v1Webhook("imp-failed", kFirstRenewal, "paid"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(parse(answer.body)->template getValue<std::string>("status"), "payment_failed");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 1);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "PAST_DUE");
  // The retry goes through V1 as well (the second item: the subscriber's AlimTalk notice).
  EXPECT_EQ(this->scheduleVersion("paymentd-sub1-c1-a2"), "V1");
  ASSERT_EQ(h.drainOutbox(), 2u);
  EXPECT_TRUE(this->v1Schedule("paymentd-sub1-c1-a2"));
}

TYPED_TEST(V1SubscriptionTest, WrongAmountIsRefundedOnceThroughV1Cancel) {
  auto& h = this->h();
  this->importAndSchedule();
  this->createV1Payment("imp-wrong", "paid", 1000);
  const std::string body = v1Webhook("imp-wrong", kFirstRenewal, "paid");
  const HttpAnswer first = h.sendV1Webhook(body);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(parse(first.body)->template getValue<std::string>("status"), "refunded");
  EXPECT_EQ(h.portoneRequests("POST", "/v1/payments/cancel"), 1);
  const auto cancel =
      parse(h.portoneRequestLog("POST", "/v1/payments/cancel"))->getArray("requests")->getObject(0);
  const auto sent = parse(cancel->template getValue<std::string>("body"));
  EXPECT_EQ(sent->template getValue<std::string>("merchant_uid"), kFirstRenewal);
  EXPECT_EQ(sent->template getValue<std::int64_t>("checksum"), 1000);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 0);

  const HttpAnswer second = h.sendV1Webhook(body);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(parse(second.body)->template getValue<std::string>("status"), "refunded");
  EXPECT_EQ(h.portoneRequests("POST", "/v1/payments/cancel"), 1);
}

TYPED_TEST(V1SubscriptionTest, V1DownIs503AndRefundsNothing) {
  auto& h = this->h();
  this->importAndSchedule();
  this->createV1Payment("imp-down", "paid", 1000);
  Object fault;
  fault.set("kind", "status");
  fault.set("path", "/v1/payments/imp-down");
  fault.set("status", 503);
  fault.set("count", -1);
  h.addFault(fault);
  const HttpAnswer answer = h.sendV1Webhook(v1Webhook("imp-down", kFirstRenewal, "paid"));
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(h.portoneRequests("POST", "/v1/payments/cancel"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 0);
}

TYPED_TEST(V1SubscriptionTest, UnknownMerchantUidAndMalformedBodiesChangeNothing) {
  auto& h = this->h();
  this->importAndSchedule();
  const int requests = h.allPortoneRequests();
  const std::int64_t traced = h.count("SELECT COUNT(*) FROM payment_events");
  const HttpAnswer unknown = h.sendV1Webhook(v1Webhook("imp-1", "paymentd-sub9-c1-a1", "paid"));
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(unknown.body, R"({"status":"not_found","code":"UNKNOWN_MERCHANT_UID"})");
  // A form body is read as JSON's is; without an imp_uid it is no V1 webhook.
  EXPECT_EQ(h.sendV1Webhook("merchant_uid=paymentd-sub1-c1-a1&status=paid").status, 400);
  EXPECT_EQ(h.sendV1Webhook(std::string(5000, 'x')).status, 413);
  EXPECT_EQ(h.allPortoneRequests(), requests);  // no V1 call for any of them
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events"), traced);

  // The body is only a hint: an imp_uid of another merchant's payment pays nothing.
  this->createV1Payment("imp-other", "paid", 59000, "someone-elses-order");
  const HttpAnswer other = h.sendV1Webhook(v1Webhook("imp-other", kFirstRenewal, "paid"));
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(parse(other.body)->template getValue<std::string>("status"), "not_found");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/v1/payments/cancel"), 0);
}

TYPED_TEST(V1SubscriptionTest, WithoutPortOneV1TheEndpointIs404AndImportIsRefused) {
  this->start(false);
  auto& h = this->h();
  EXPECT_EQ(h.sendV1Webhook(v1Webhook("imp-1", kFirstRenewal, "paid")).status, 404);
  const testing::ProcessResult imported = this->import();
  EXPECT_EQ(imported.exit_code, 1);
  EXPECT_NE(imported.err.find("portone.v1"), std::string::npos) << imported.err;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox"), 0);
}

TYPED_TEST(V1SubscriptionTest, ImportRefusesBadInputAndChangesNothing) {
  auto& h = this->h();
  const std::string end = "--period-end=" + portone::formatRfc3339(this->period_end_);
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"subscription", "import"});
    return h.cli(args);
  };
  const testing::ProcessResult unknown_plan =
      run({"--user=42", "--plan=no-such-plan", "--customer-uid=cuid-42", end});
  EXPECT_EQ(unknown_plan.exit_code, 1);
  EXPECT_NE(unknown_plan.err.find("no plan 'no-such-plan'"), std::string::npos) << unknown_plan.err;
  const testing::ProcessResult yearly =
      run({"--user=42", "--plan=yearly-8", "--customer-uid=cuid-42", end});
  EXPECT_EQ(yearly.exit_code, 1);
  EXPECT_NE(yearly.err.find("not monthly"), std::string::npos) << yearly.err;
  const testing::ProcessResult bad_time =
      run({"--user=42", "--plan=monthly-4", "--customer-uid=cuid-42", "--period-end=next tuesday"});
  EXPECT_EQ(bad_time.exit_code, 64);
  EXPECT_NE(bad_time.err.find("RFC 3339"), std::string::npos) << bad_time.err;
  const testing::ProcessResult bad_price =
      run({"--user=42", "--plan=monthly-4", "--customer-uid=cuid-42", end, "--price=12.5"});
  EXPECT_EQ(bad_price.exit_code, 64);
  EXPECT_NE(bad_price.err.find("--price"), std::string::npos) << bad_price.err;
  const testing::ProcessResult no_uid = run({"--user=42", "--plan=monthly-4", end});
  EXPECT_EQ(no_uid.exit_code, 64);
  EXPECT_NE(no_uid.err.find("--customer-uid"), std::string::npos) << no_uid.err;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox"), 0);
}

TYPED_TEST(V1SubscriptionTest, CardChangeUnschedulesAtV1AndRenewsThroughV2) {
  auto& h = this->h();
  this->importAndSchedule();
  Object card;
  card.set("billingKey", "card-v2");
  card.set("customerId", "42");
  card.set("then", "succeed");
  ASSERT_EQ(
      testing::httpCall(h.sandboxPort(), "POST", "/_sandbox/billing-keys", toJson(card)).status /
          100,
      2);
  const HttpAnswer changed = h.admin("PUT", "/admin/v1/subscriptions/1/billing-key",
                                     R"({"billingKey":"card-v2","reason":"new card"})", "k-card");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(parse(changed.body)
                ->getObject("data")
                ->getObject("subscription")
                ->template getValue<std::string>("portoneVersion"),
            "V2");
  EXPECT_EQ(h.text("SELECT portone_version FROM subscriptions WHERE id = 1"), "V2");
  EXPECT_EQ(this->scheduleVersion("paymentd-sub1-c1-a2"), "V2");

  // The outbox withdraws the V1 schedule and creates the V2 one on the new key.
  ASSERT_EQ(h.drainOutbox(), 2u);
  EXPECT_EQ(h.portoneRequests("POST", "/v1/subscribe/payments/unschedule"), 1);
  EXPECT_EQ(this->v1Schedule(kFirstRenewal)->template getValue<std::string>("schedule_status"),
            "revoked");
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/schedule"), 1);

  // The renewal runs through V2: the V2 webhook fulfils it, the next is V2 too.
  ASSERT_EQ(h.advanceSandboxTo(this->period_end_).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a2'", 1));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(this->scheduleVersion("paymentd-sub1-c2-a1"), "V2");
  EXPECT_EQ(h.portoneRequests("POST", "/v1/payments/cancel"), 0);
}

}  // namespace
}  // namespace paymentd::pipeline
