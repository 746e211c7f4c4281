// The subscription lifecycle through the operator API, end to end: the admin
// listener (and the CLI) against the daemon's database, the PortOne sandbox and
// the outbox, on SQLite with the in-process lock and on PostgreSQL with Redis.
// Each operation's effect is checked in the database, at the sandbox and in
// the trace; each repeated under its Idempotency-Key.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "paymentd/calendar.h"
#include "paymentd/outbox.h"
#include "pipeline_harness.h"
#include "storage/time_codec.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using Poco::JSON::Object;
using testing::HarnessOptions;
using testing::HttpAnswer;
using testing::paidPayment;
using testing::PipelineHarness;

const std::string kToken = "admin-token-0123456789abcdef";
const std::string kFirstBilling = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";

Poco::JSON::Object::Ptr json(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr subscriptionOf(const HttpAnswer& answer) {
  return json(answer.body)->getObject("data")->getObject("subscription");
}

std::string errorCode(const HttpAnswer& answer) {
  return json(answer.body)->getObject("error")->getValue<std::string>("code");
}

template <typename Backend>
class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kBackend);
    HarnessOptions options;
    options.every_processor = true;
    options.admin_token = kToken;
    if (Backend::kBackend == storage::Backend::kPostgres) {
      PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
      options.lock_url = redis;
    }
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  PipelineHarness& h() { return *harness_; }

  // Subscription 1 of user 42, paid by pay-1 on `card`; its renewal scheduled at the sandbox.
  void startSubscription(const std::string& card = "card-ok") {
    h().registerCard(card, 0, "succeed");
    h().createPayment(paidPayment("pay-1", 59000, card));
    ASSERT_EQ(h().sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
              R"({"status":"fulfilled"})");
    ASSERT_EQ(h().drainOutbox(), 1u);
    ASSERT_EQ(h().portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/schedule"), 1);
  }
  std::string status() { return h().text("SELECT status FROM subscriptions WHERE id = 1"); }
  std::string scheduleStatus(const std::string& payment_id) {
    return h().text("SELECT status FROM payment_schedules WHERE payment_id = '" + payment_id + "'");
  }
  Timestamp periodEnd() {
    return storage::fromMicros(h().count("SELECT period_end_us FROM subscriptions WHERE id = 1"));
  }
  // Issues a second billing key at the sandbox for `customer`.
  void issueCard(const std::string& key, const std::string& customer, const std::string& number) {
    Object card;
    card.set("billingKey", key);
    card.set("customerId", customer);
    card.set("cardNumber", number);
    card.set("then", "succeed");
    ASSERT_EQ(testing::httpCall(h().sandboxPort(), "POST", "/_sandbox/billing-keys", toJson(card))
                      .status /
                  100,
              2);
  }
  static std::string toJson(const Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
  }

  std::unique_ptr<PipelineHarness> harness_;
};

using Backends = ::testing::Types<testing::SqliteBackend, testing::PostgresBackend>;
TYPED_TEST_SUITE(LifecycleTest, Backends, testing::BackendNames);

TYPED_TEST(LifecycleTest, TheAdminApiWantsTheTokenAndThePublicListenerHasNoAdminRoutes) {
  auto& h = this->h();
  this->startSubscription();
  const std::string path = "/admin/v1/users/42";
  EXPECT_EQ(testing::httpCall(h.adminPort(), "GET", path).status, 401);
  EXPECT_EQ(testing::httpCall(h.adminPort(), "GET", path, "",
                              {{"Authorization", "Bearer wrong-token-0123456789"}})
                .status,
            401);
  EXPECT_EQ(testing::httpCall(h.adminPort(), "GET", path, "", {{"Authorization", kToken}}).status,
            401);  // not a bearer
  const HttpAnswer right = h.admin("GET", path);
  ASSERT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(
      testing::httpCall(h.port(), "GET", path, "", {{"Authorization", "Bearer " + kToken}}).status,
      404);
  // What the look-up shows, and what it never shows.
  auto data = json(right.body)->getObject("data");
  EXPECT_EQ(data->getValue<std::string>("userId"), "42");
  auto subscription = data->getArray("subscriptions")->getObject(0);
  EXPECT_EQ(subscription->getValue<std::string>("id"), "1");
  EXPECT_EQ(subscription->getValue<std::string>("status"), "ACTIVE");
  EXPECT_EQ(subscription->getValue<std::string>("nextPaymentId"), "paymentd-sub1-c1-a1");
  EXPECT_EQ(subscription->getValue<std::string>("portoneVersion"), "V2");
  EXPECT_EQ(right.body.find("card-ok"), std::string::npos) << right.body;
  auto payment = data->getArray("payments")->getObject(0);
  EXPECT_EQ(payment->getValue<std::string>("paymentId"), "pay-1");
  EXPECT_EQ(payment->getValue<std::int64_t>("amount"), 59000);
  EXPECT_FALSE(payment->getValue<bool>("refunded"));
  EXPECT_EQ(h.admin("GET", "/admin/v1/users/nobody").status, 404);
  // The payment's story, as trace --json tells it.
  const HttpAnswer story = h.admin("GET", "/admin/v1/payments/pay-1");
  ASSERT_EQ(story.status, 200);
  EXPECT_EQ(json(story.body)->getObject("data")->getValue<std::string>("status"), "completed");
}

TYPED_TEST(LifecycleTest, WritesNeedAKeyAnActorAndAReasonAndAKeyServesOneRequest) {
  auto& h = this->h();
  this->startSubscription();
  const std::string path = "/admin/v1/subscriptions/1/cancel";
  EXPECT_EQ(errorCode(h.admin("POST", path, R"({"at":"now","reason":"r"})")),
            "IDEMPOTENCY_KEY_REQUIRED");
  EXPECT_EQ(errorCode(h.admin("POST", path, R"({"at":"now","reason":"r"})", "k-1", "")),
            "ACTOR_REQUIRED");
  EXPECT_EQ(errorCode(h.admin("POST", path, R"({"at":"now"})", "k-1")), "REASON_REQUIRED");
  EXPECT_EQ(errorCode(h.admin("POST", path, R"({"at":"tomorrow","reason":"r"})", "k-1")),
            "INVALID_AT");
  EXPECT_EQ(h.admin("POST", path, "not json", "k-1").status, 400);
  EXPECT_EQ(this->status(), "ACTIVE");  // nothing changed

  const HttpAnswer first =
      h.admin("POST", path, R"({"at":"period_end","reason":"moving abroad"})", "k-1");
  ASSERT_EQ(first.status, 200) << first.body;
  const HttpAnswer again =
      h.admin("POST", path, R"({"at":"period_end","reason":"moving abroad"})", "k-1");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);  // the first answer, byte for byte
  const HttpAnswer other = h.admin("POST", path, R"({"at":"now","reason":"moving abroad"})", "k-1");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(errorCode(other), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(this->status(), "ACTIVE");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscription_events WHERE subscription_id = 1"), 1);
}

TYPED_TEST(LifecycleTest, CancelAtPeriodEndWithdrawsTheRenewalAndCancelsWhenThePeriodEnds) {
  auto& h = this->h();
  this->startSubscription();
  const HttpAnswer answer = h.admin("POST", "/admin/v1/subscriptions/1/cancel",
                                    R"({"at":"period_end","reason":"too expensive"})", "c-1");
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto subscription = subscriptionOf(answer);
  EXPECT_EQ(subscription->getValue<std::string>("status"), "ACTIVE");
  EXPECT_TRUE(subscription->getValue<bool>("cancelAtPeriodEnd"));
  EXPECT_TRUE(subscription->isNull("nextPaymentId"));
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "REVOKED");
  ASSERT_EQ(h.drainOutbox(), 1u);  // the withdrawal at PortOne
  EXPECT_EQ(h.portoneRequests("DELETE", "/payment-schedules"), 1);
  EXPECT_NE(h.portoneRequestLog("DELETE", "/payment-schedules").find("scheduleIds"),
            std::string::npos);

  // The period passes: PortOne charges nothing, the job cancels.
  const Timestamp end = this->periodEnd();
  EXPECT_TRUE(h.advanceSandboxTo(end + std::chrono::hours(1)).empty());
  EXPECT_EQ(h.cancelDueAt(end - std::chrono::minutes(1)), 0u);
  EXPECT_EQ(h.cancelDueAt(end + std::chrono::minutes(1)), 1u);
  EXPECT_EQ(this->status(), "CANCELLED");
  EXPECT_EQ(h.cancelDueAt(end + std::chrono::minutes(2)), 0u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 1);
  // The audit trail: who asked, why, and the job that finished it.
  EXPECT_EQ(h.text("SELECT actor || ':' || reason FROM subscription_events WHERE action = "
                   "'cancel_at_period_end'"),
            "support:kim:too expensive");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscription_events WHERE action = 'period_end'"), 1);
  const auto trace = h.trace("paymentd-sub1-c1-a1");
  EXPECT_NE(trace.out.find("operator:cancel_at_period_end"), std::string::npos) << trace.out;
  EXPECT_NE(trace.out.find("support:kim: too expensive"), std::string::npos) << trace.out;
  // The same trail in the subscription's look-up, over HTTP and on the command line.
  const HttpAnswer shown = h.admin("GET", "/admin/v1/subscriptions/1");
  ASSERT_EQ(shown.status, 200) << shown.body;
  auto history = subscriptionOf(shown)->getArray("history");
  ASSERT_EQ(history->size(), 2u) << shown.body;
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("action"), "cancel_at_period_end");
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("actor"), "support:kim");
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("reason"), "too expensive");
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("action"), "period_end");
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("actor"), "paymentd");
  const auto cli = h.cli({"subscription", "show", "1"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("too expensive"), std::string::npos) << cli.out;
}

TYPED_TEST(LifecycleTest, ResumeBeforeThePeriodEndsChargesAsUsual) {
  auto& h = this->h();
  this->startSubscription();
  ASSERT_EQ(h.admin("POST", "/admin/v1/subscriptions/1/cancel",
                    R"({"at":"period_end","reason":"r"})", "c-1")
                .status,
            200);
  const HttpAnswer resumed =
      h.admin("POST", "/admin/v1/subscriptions/1/resume", R"({"reason":"changed mind"})", "r-1");
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  auto subscription = subscriptionOf(resumed);
  EXPECT_FALSE(subscription->getValue<bool>("cancelAtPeriodEnd"));
  EXPECT_EQ(subscription->getValue<std::string>("nextPaymentId"), "paymentd-sub1-c1-a2");
  // Resuming again changes nothing.
  ASSERT_EQ(
      h.admin("POST", "/admin/v1/subscriptions/1/resume", R"({"reason":"again"})", "r-2").status,
      200);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules"), 2);
  ASSERT_EQ(h.drainOutbox(), 2u);  // the withdrawal, then the new schedule
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/schedule"), 1);

  const Timestamp end = this->periodEnd();
  ASSERT_EQ(h.advanceSandboxTo(end).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a2'", 1));
  EXPECT_EQ(h.cancelDueAt(end + std::chrono::minutes(1)), 0u);
  EXPECT_EQ(this->status(), "ACTIVE");
  EXPECT_EQ(this->periodEnd(), addMonths(end, 1));
}

TYPED_TEST(LifecycleTest, CancelNowRevokesFutureTicketsAndARenewalThatRanAnywayIsRefunded) {
  auto& h = this->h();
  this->startSubscription();
  const HttpAnswer answer = h.admin("POST", "/admin/v1/subscriptions/1/cancel",
                                    R"({"at":"now","reason":"fraud suspected"})", "c-now");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(subscriptionOf(answer)->getValue<std::string>("status"), "CANCELLED");
  EXPECT_EQ(this->status(), "CANCELLED");
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "REVOKED");
  // The withdrawal has not reached PortOne yet when the schedule runs there.
  ASSERT_EQ(h.advanceSandboxTo(this->periodEnd()).size(), 1u);
  // The failure row is written before PortOne's cancel (the intent); DONE after it.
  ASSERT_TRUE(h.waitForCount(
      "SELECT COUNT(*) FROM payment_failures WHERE payment_id = "
      "'paymentd-sub1-c1-a1' AND code = 'SUBSCRIPTION_CANCELLED' AND refund = 'DONE'",
      1));
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/cancel"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a1'"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE subscription_id = 1"), 1);
}

TYPED_TEST(LifecycleTest, ChangeCardOnAPastDueSubscriptionMovesTheRetryToTheNewKey) {
  auto& h = this->h();
  h.registerCard("card-declines", 0, "decline");
  h.createPayment(paidPayment("pay-1", 59000, "card-declines"));
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).status, 200);
  ASSERT_EQ(h.drainOutbox(), 1u);
  ASSERT_EQ(h.advanceSandboxTo(this->periodEnd()).size(), 1u);  // declined
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM billing_failures", 1));
  ASSERT_EQ(this->status(), "PAST_DUE");
  ASSERT_EQ(h.drainOutbox(), 2u);  // the notice and the retry's schedule a2
  this->issueCard("card-new", "42", "4000123412341234");
  this->issueCard("card-stranger", "77", "5000123412349999");

  // Another customer's key: refused, nothing changed.
  const HttpAnswer stranger = h.admin("PUT", "/admin/v1/subscriptions/1/billing-key",
                                      R"({"billingKey":"card-stranger","reason":"r"})", "k-s");
  EXPECT_EQ(stranger.status, 409);
  EXPECT_EQ(errorCode(stranger), "BILLING_KEY_OF_ANOTHER_CUSTOMER");
  EXPECT_EQ(errorCode(h.admin("PUT", "/admin/v1/subscriptions/1/billing-key",
                              R"({"billingKey":"card-missing","reason":"r"})", "k-m")),
            "BILLING_KEY_NOT_FOUND");
  EXPECT_EQ(h.text("SELECT billing_key FROM subscriptions WHERE id = 1"), "card-declines");
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a2"), "SCHEDULED");

  const HttpAnswer changed =
      h.admin("PUT", "/admin/v1/subscriptions/1/billing-key",
              R"({"billingKey":"card-new","reason":"after the SMS"})", "k-n");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(subscriptionOf(changed)->getValue<std::string>("cardLastDigits"), "1234");
  EXPECT_EQ(subscriptionOf(changed)->getValue<std::string>("nextPaymentId"), "paymentd-sub1-c1-a3");
  EXPECT_EQ(changed.body.find("card-new"), std::string::npos);
  EXPECT_EQ(h.text("SELECT billing_key FROM subscriptions WHERE id = 1"), "card-new");
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a2"), "REVOKED");
  EXPECT_EQ(h.text("SELECT billing_key FROM payment_schedules WHERE payment_id = "
                   "'paymentd-sub1-c1-a3'"),
            "card-new");
  ASSERT_EQ(h.drainOutbox(), 2u);
  EXPECT_NE(h.portoneRequestLog("POST", "/payments/paymentd-sub1-c1-a3/schedule").find("card-new"),
            std::string::npos);

  // The retry runs: charged on the new key, the subscription ACTIVE again.
  const Timestamp retry_at = storage::fromMicros(h.count(
      "SELECT time_to_pay_us FROM payment_schedules WHERE payment_id = 'paymentd-sub1-c1-a3'"));
  ASSERT_EQ(h.advanceSandboxTo(retry_at).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a3'", 1));
  EXPECT_EQ(this->status(), "ACTIVE");
}

TYPED_TEST(LifecycleTest, PartialThenFullRefundAndTheCheckApiSaysSo) {
  auto& h = this->h();
  this->startSubscription();
  const std::string path = "/admin/v1/payments/pay-1/refund";
  EXPECT_EQ(errorCode(h.admin("POST", path, R"({"amount":60000,"reason":"r"})", "f-0")),
            "AMOUNT_EXCEEDS_CANCELLABLE");
  const HttpAnswer partial =
      h.admin("POST", path, R"({"amount":9000,"reason":"one lesson missed"})", "f-1");
  ASSERT_EQ(partial.status, 200) << partial.body;
  auto data = json(partial.body)->getObject("data");
  EXPECT_EQ(data->getValue<std::int64_t>("refundedAmount"), 9000);
  EXPECT_EQ(data->getValue<std::int64_t>("cancellableAmount"), 50000);
  // The same request again: the same answer, one cancel at PortOne.
  EXPECT_EQ(h.admin("POST", path, R"({"amount":9000,"reason":"one lesson missed"})", "f-1").body,
            partial.body);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-1/cancel"), 1);
  EXPECT_NE(h.portoneRequestLog("POST", "/payments/pay-1/cancel")
                .find(R"(\"amount\":9000,\"currentCancellableAmount\":59000)"),
            std::string::npos)
      << h.portoneRequestLog("POST", "/payments/pay-1/cancel");
  EXPECT_EQ(this->status(), "ACTIVE");
  const HttpAnswer check = h.check("pay-1");
  EXPECT_NE(check.body.find(R"("refunded":true)"), std::string::npos) << check.body;
  EXPECT_NE(check.body.find("REFUNDED_BY_OPERATOR"), std::string::npos) << check.body;

  const HttpAnswer full = h.admin("POST", path, R"({"reason":"leaving"})", "f-2");
  ASSERT_EQ(full.status, 200) << full.body;
  data = json(full.body)->getObject("data");
  EXPECT_EQ(data->getValue<std::int64_t>("refundedAmount"), 59000);
  EXPECT_EQ(data->getValue<std::int64_t>("cancellableAmount"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-1/cancel"), 2);
  EXPECT_EQ(h.count("SELECT refunded_amount FROM payments WHERE id = 'pay-1'"), 59000);
  // Nothing left paid: its tickets revoked, the subscription cancelled now.
  EXPECT_EQ(this->status(), "CANCELLED");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE payment_id = 'pay-1' AND revoked_at_us "
                    "IS NULL"),
            0);
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "REVOKED");
  EXPECT_EQ(errorCode(h.admin("POST", path, R"({"reason":"again"})", "f-3")), "NOTHING_TO_REFUND");
  const auto trace = h.trace("pay-1");
  EXPECT_NE(trace.out.find("9000 KRW given back by support:kim: one lesson missed"),
            std::string::npos)
      << trace.out;
}

TYPED_TEST(LifecycleTest, RetryNowChargesThePastDueCycleOnceAndTheCliDoesTheSame) {
  auto& h = this->h();
  h.registerCard("card-once", 1, "succeed");  // the renewal is declined, then it works
  h.createPayment(paidPayment("pay-1", 59000, "card-once"));
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).status, 200);
  ASSERT_EQ(h.drainOutbox(), 1u);
  const Timestamp end = this->periodEnd();
  ASSERT_EQ(h.advanceSandboxTo(end).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM billing_failures", 1));
  ASSERT_EQ(h.drainOutbox(), 2u);  // a2 scheduled for tomorrow

  // A subscription paymentd does not have is refused.
  const auto refused = h.cli({"subscription", "retry", "2", "--reason=test"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("SUBSCRIPTION_NOT_FOUND"), std::string::npos) << refused.err;

  const auto no_reason = h.cli({"subscription", "retry", "1"});
  EXPECT_EQ(no_reason.exit_code, 64) << no_reason.err;
  EXPECT_NE(no_reason.err.find("REASON_REQUIRED"), std::string::npos) << no_reason.err;

  const auto retried = h.cli({"subscription", "retry", "1", "--reason=customer called",
                              "--actor=support:lee", "--idempotency-key=cli-r-1"});
  ASSERT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_NE(retried.out.find("paymentd-sub1-c1-a3"), std::string::npos) << retried.out;
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a2"), "REVOKED");
  // Asking again under the same key answers the same and schedules nothing more.
  const auto again = h.cli({"subscription", "retry", "1", "--reason=customer called",
                            "--actor=support:lee", "--idempotency-key=cli-r-1"});
  EXPECT_EQ(again.out, retried.out);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules"), 3);
  ASSERT_EQ(h.drainOutbox(), 2u);  // the daemon's worker carries out what the CLI enqueued
  ASSERT_EQ(h.advanceSandboxTo(h.sandboxNow()).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a3'", 1));
  EXPECT_EQ(this->status(), "ACTIVE");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules WHERE subscription_id = 1 AND cycle = "
                    "1 AND status = 'PAID'"),
            1);
  EXPECT_EQ(h.text("SELECT actor FROM subscription_events WHERE action = 'retry'"), "support:lee");
  const auto shown = h.cli({"subscription", "show", "1"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find(R"("status":"ACTIVE")"), std::string::npos) << shown.out;
}

TYPED_TEST(LifecycleTest, RetryNowRacingTheScheduledRetryChargesTheCycleOnce) {
  auto& h = this->h();
  h.registerCard("card-once", 1, "succeed");
  h.createPayment(paidPayment("pay-1", 59000, "card-once"));
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).status, 200);
  ASSERT_EQ(h.drainOutbox(), 1u);
  ASSERT_EQ(h.advanceSandboxTo(this->periodEnd()).size(), 1u);  // a1 declined
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM billing_failures", 1));
  ASSERT_EQ(h.drainOutbox(), 2u);  // a2 scheduled at PortOne for tomorrow
  ASSERT_EQ(h.admin("POST", "/admin/v1/subscriptions/1/retry", R"({"reason":"now"})", "t-1").status,
            200);
  // Before the outbox withdraws a2 and sends a3, PortOne runs a2 anyway.
  const Timestamp a2_at = storage::fromMicros(h.count(
      "SELECT time_to_pay_us FROM payment_schedules WHERE payment_id = 'paymentd-sub1-c1-a2'"));
  ASSERT_EQ(h.advanceSandboxTo(a2_at).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a2'", 1));
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a3"), "REVOKED");  // the cycle is paid
  h.drainOutbox();
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a3/schedule"), 0);
  h.advanceSandboxTo(h.sandboxNow() + std::chrono::hours(1));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id LIKE 'paymentd-sub1-c1-%'"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules WHERE cycle = 1 AND status = 'PAID'"),
            1);
  EXPECT_EQ(this->status(), "ACTIVE");
}

}  // namespace
}  // namespace paymentd::pipeline
