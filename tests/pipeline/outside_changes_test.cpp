// Declines retrying cannot fix, and changes made outside paymentd (PortOne's
// console), end to end: the sandbox's own webhooks over HTTP to the daemon, on
// SQLite with the in-process lock and on PostgreSQL with Redis. Each effect is
// checked in the database, at the sandbox and in the outbox.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "paymentd/outbox.h"
#include "pipeline_harness.h"
#include "recurring/failure_policy.h"
#include "storage/time_codec.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::HarnessOptions;
using testing::paidPayment;
using testing::PipelineHarness;

const std::string kFirstBilling = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";
const std::string kRenewal = "user_id=42&subscribe_id=monthly-4&payment_type=BILLING";
const std::string kHardCode = "INVALID_CARD_LOST_OR_STOLEN";

Poco::JSON::Object::Ptr json(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

template <typename Backend>
class OutsideChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kBackend);
    HarnessOptions options;
    options.every_processor = true;
    options.admin_token = "admin-token-0123456789abcdef";
    options.recurring.hard_decline_codes = {kHardCode, "INVALID_STOPPED_CARD"};
    if (Backend::kBackend == storage::Backend::kPostgres) {
      PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
      options.lock_url = redis;
    }
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  PipelineHarness& h() { return *harness_; }

  // Subscription 1 of user 42, paid by pay-1 on `card` (whose webhooks,
  // PortOne's console refunds included, reach this daemon); its renewal
  // scheduled at the sandbox.
  void startSubscription(const std::string& card) {
    auto payment = paidPayment("pay-1", 59000, card, std::string("01012345678"));
    payment.set("noticeUrl", h().webhookUrl(kFirstBilling));
    h().createPayment(payment);
    ASSERT_EQ(h().sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
              R"({"status":"fulfilled"})");
    ASSERT_EQ(h().drainOutbox(), 1u);
    ASSERT_EQ(h().portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/schedule"), 1);
  }
  std::string status() { return h().text("SELECT status FROM subscriptions WHERE id = 1"); }
  Timestamp scheduledAt(const std::string& payment_id) {
    return storage::fromMicros(h().count(
        "SELECT time_to_pay_us FROM payment_schedules WHERE payment_id = '" + payment_id + "'"));
  }
  std::string scheduleStatus(const std::string& payment_id) {
    return h().text("SELECT status FROM payment_schedules WHERE payment_id = '" + payment_id + "'");
  }
  std::int64_t liveTickets() {
    return h().count(
        "SELECT COUNT(*) FROM tickets WHERE payment_id = 'pay-1' AND revoked_at_us IS NULL");
  }
  // What paymentd's answer to the webhooks about pay-1 changed, as rows.
  std::int64_t changes() {
    return h().count("SELECT COUNT(*) FROM outbox") +
           h().count("SELECT COUNT(*) FROM subscription_events") +
           h().count("SELECT refunded_amount FROM payments WHERE id = 'pay-1'");
  }
  std::int64_t notices(const std::string& like) {
    return h().count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND payload LIKE '" + like +
                     "'");
  }

  std::unique_ptr<PipelineHarness> harness_;
};

// Which declines are hard: PortOne's failure.pgCode, or without one the
// [CODE] that starts failure.reason, when recurring.hard_decline_codes lists it.
TEST(HardDeclineCode, IsThePgCodeOrTheReasonsCodeWhenListed) {
  recurring::FailurePolicy policy;
  policy.recurring.hard_decline_codes = {kHardCode};
  const auto code = [&](std::optional<std::string> pg, std::optional<std::string> reason) {
    return recurring::hardDeclineCode(policy, pg, reason);
  };
  EXPECT_EQ(code(kHardCode, "[" + kHardCode + "] lost"), kHardCode);
  EXPECT_EQ(code(std::nullopt, "[" + kHardCode + "] lost"), kHardCode);
  EXPECT_EQ(code(std::string(), "[" + kHardCode + "] lost"), kHardCode);
  EXPECT_EQ(code("CARD_DECLINED", "[" + kHardCode + "] lost"), std::nullopt);  // pgCode decides
  EXPECT_EQ(code(std::nullopt, kHardCode + " without brackets"), std::nullopt);
  EXPECT_EQ(code(std::nullopt, std::nullopt), std::nullopt);
  policy.recurring.hard_decline_codes.clear();
  EXPECT_EQ(code(kHardCode, std::nullopt), std::nullopt);  // no list: every decline is retried
}

using Backends = ::testing::Types<testing::SqliteBackend, testing::PostgresBackend>;
TYPED_TEST_SUITE(OutsideChangesTest, Backends, testing::BackendNames);

TYPED_TEST(OutsideChangesTest, AHardDeclineFailsTheSubscriptionAtOnceWithoutARetry) {
  auto& h = this->h();
  h.registerCard("card-stolen", 0, "decline", kHardCode);
  this->startSubscription("card-stolen");
  const std::string first = "paymentd-sub1-c1-a1";
  ASSERT_EQ(h.advanceSandboxTo(this->scheduledAt(first)).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM billing_failures", 1));

  EXPECT_EQ(this->status(), "FAILED");
  EXPECT_EQ(h.count("SELECT consecutive_failures FROM subscriptions WHERE id = 1"), 1);
  EXPECT_EQ(h.text("SELECT outcome FROM billing_failures"), "FAILED");
  // No retry: nothing scheduled for a second attempt, here or at PortOne.
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules WHERE payment_id = "
                    "'paymentd-sub1-c1-a2'"),
            0);
  EXPECT_EQ(h.drainOutbox(), 2u);  // the subscriber's and the admin's notice
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/schedule"), 0);
  EXPECT_EQ(this->notices("%\"channel\":\"alimtalk\"%REGISTER_NEW_CARD%"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE "
                    "'%\"channel\":\"admin_slack\"%SUBSCRIPTION_FAILED%' AND payload LIKE "
                    "'%\"hard_decline_code\":\"" +
                    kHardCode + "\"%'"),
            1);
  EXPECT_EQ(this->notices("%PAYMENT_FAILED_RETRY%"), 0);
  // A redelivery changes nothing and tells nobody again.
  EXPECT_EQ(h.sendWebhook("Transaction.Failed", first, kRenewal).body,
            R"({"status":"payment_failed","code":"PAYMENT_FAILED"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify'"), 2);
  EXPECT_TRUE(h.advanceSandboxTo(h.sandboxNow() + std::chrono::days(30)).empty());
  const auto trace = h.trace(first);
  EXPECT_NE(trace.out.find("hard decline " + kHardCode), std::string::npos) << trace.out;
}

TYPED_TEST(OutsideChangesTest, ASoftDeclineIsRetriedTomorrowAsBefore) {
  auto& h = this->h();
  h.registerCard("card-limit", 0, "decline", "EXCEED_MAX_DAILY_PAYMENT_COUNT");
  this->startSubscription("card-limit");
  ASSERT_EQ(h.advanceSandboxTo(this->scheduledAt("paymentd-sub1-c1-a1")).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM billing_failures", 1));
  EXPECT_EQ(this->status(), "PAST_DUE");
  EXPECT_EQ(h.drainOutbox(), 2u);  // the AlimTalk notice and the retry's schedule
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/schedule"), 1);
  EXPECT_EQ(this->notices("%\"channel\":\"alimtalk\"%PAYMENT_FAILED_RETRY%"), 1);
  EXPECT_EQ(this->notices("%REGISTER_NEW_CARD%"), 0);
}

TYPED_TEST(OutsideChangesTest, AConsoleRefundOfAFirstBillingCancelsItAsCancelNowDoes) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  this->startSubscription("card-ok");
  ASSERT_EQ(this->liveTickets(), 1);
  h.cancelAtConsole("pay-1", std::nullopt);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM subscriptions WHERE status = 'CANCELLED'", 1));

  EXPECT_EQ(this->liveTickets(), 0);
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "REVOKED");
  EXPECT_EQ(h.count("SELECT refunded_amount FROM payments WHERE id = 'pay-1'"), 59000);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscription_events WHERE action = "
                    "'cancelled_at_portone' AND actor = 'portone' AND reason = "
                    "'CANCELLED_AT_PORTONE'"),
            1);
  EXPECT_EQ(h.drainOutbox(), 2u);  // the schedule withdrawn at PortOne, the admin alerted
  EXPECT_EQ(h.portoneRequests("DELETE", "/payment-schedules"), 1);
  EXPECT_EQ(this->notices("%\"channel\":\"admin_slack\"%CANCELLED_AT_PORTONE%"), 1);
  // PortOne gave the money back itself: paymentd asks for no cancel.
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-1/cancel"), 0);
  EXPECT_TRUE(h.advanceSandboxTo(h.sandboxNow() + std::chrono::days(40)).empty());

  // A redelivery changes nothing.
  const std::int64_t before = this->changes();
  EXPECT_EQ(h.sendWebhook("Transaction.Cancelled", "pay-1", kFirstBilling).body,
            R"({"status":"cancelled","code":"CANCELLATION_RECORDED"})");
  EXPECT_EQ(this->changes(), before);
  EXPECT_EQ(h.drainOutbox(), 0u);
  const auto trace = h.trace("pay-1");
  EXPECT_NE(trace.out.find("59000 KRW cancelled at PortOne"), std::string::npos) << trace.out;
}

TYPED_TEST(OutsideChangesTest, APartialConsoleRefundIsRecordedAndShownAndRevokesNothing) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  this->startSubscription("card-ok");
  h.cancelAtConsole("pay-1", 20000);
  ASSERT_TRUE(h.waitForCount("SELECT refunded_amount FROM payments WHERE id = 'pay-1'", 20000));

  EXPECT_EQ(this->status(), "ACTIVE");
  EXPECT_EQ(this->liveTickets(), 1);
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "SCHEDULED");
  EXPECT_EQ(h.drainOutbox(), 1u);  // the admin's alert, nothing withdrawn
  EXPECT_EQ(h.portoneRequests("DELETE", "/payment-schedules"), 0);
  EXPECT_EQ(this->notices("%\"channel\":\"admin_slack\"%PARTIAL_CANCELLED_AT_PORTONE%"), 1);
  const testing::HttpAnswer lookup = h.admin("GET", "/admin/v1/users/42");
  ASSERT_EQ(lookup.status, 200) << lookup.body;
  const Poco::JSON::Object::Ptr payment =
      json(lookup.body)->getObject("data")->getArray("payments")->getObject(0);
  EXPECT_EQ(payment->getValue<std::string>("paymentId"), "pay-1");
  EXPECT_TRUE(payment->getValue<bool>("refunded"));
  EXPECT_EQ(payment->getValue<std::int64_t>("refundedAmount"), 20000);
  EXPECT_EQ(payment->getValue<std::int64_t>("cancelledAtPortOne"), 20000);
  EXPECT_EQ(payment->getValue<std::string>("reason"), "CANCELLED_AT_PORTONE");
  const testing::HttpAnswer check = h.check("pay-1");
  EXPECT_NE(check.body.find(R"("refunded":true)"), std::string::npos) << check.body;
  EXPECT_NE(check.body.find("CANCELLED_AT_PORTONE"), std::string::npos) << check.body;

  const std::int64_t before = this->changes();
  EXPECT_EQ(h.sendWebhook("Transaction.PartialCancelled", "pay-1", kFirstBilling).body,
            R"({"status":"cancelled","code":"CANCELLATION_RECORDED"})");
  EXPECT_EQ(this->changes(), before);

  // The rest, later: now nothing is left paid, and it is revoked.
  h.cancelAtConsole("pay-1", std::nullopt);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM subscriptions WHERE status = 'CANCELLED'", 1));
  EXPECT_EQ(h.count("SELECT refunded_amount FROM payments WHERE id = 'pay-1'"), 59000);
  EXPECT_EQ(this->liveTickets(), 0);
}

TYPED_TEST(OutsideChangesTest, TheWebhooksOfPaymentdsOwnRefundsChangeNothingTwice) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  this->startSubscription("card-ok");
  h.holdWebhooks();  // delivered after the refund let go of the payment's lock
  const auto partial = h.admin("POST", "/admin/v1/payments/pay-1/refund",
                               R"({"amount":9000,"reason":"one lesson missed"})", "own-1");
  ASSERT_EQ(partial.status, 200) << partial.body;
  const auto full =
      h.admin("POST", "/admin/v1/payments/pay-1/refund", R"({"reason":"leaving"})", "own-2");
  ASSERT_EQ(full.status, 200) << full.body;
  ASSERT_EQ(this->status(), "CANCELLED");
  const std::int64_t before = this->changes();
  h.releaseWebhooks();
  ASSERT_TRUE(
      h.waitForCount("SELECT COUNT(*) FROM payment_events WHERE payment_id = 'pay-1' AND "
                     "stage = 'cancellation' AND result = 'skipped'",
                     2));
  EXPECT_EQ(this->changes(), before);
  EXPECT_EQ(h.count("SELECT cancelled_at_portone FROM payments WHERE id = 'pay-1'"), 0);
  EXPECT_EQ(h.count("SELECT refunded_amount FROM payments WHERE id = 'pay-1'"), 59000);
  EXPECT_EQ(this->notices("%CANCELLED_AT_PORTONE%"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-1/cancel"), 2);
}

TYPED_TEST(OutsideChangesTest, ADeletedBillingKeyStopsRenewingAndEndsThePeriodCancelled) {
  auto& h = this->h();
  h.registerCard("card-gone", 0, "succeed");
  this->startSubscription("card-gone");
  const Timestamp period_end = this->scheduledAt("paymentd-sub1-c1-a1");
  h.deleteBillingKey("card-gone");
  ASSERT_TRUE(h.waitForCount(
      "SELECT COUNT(*) FROM subscriptions WHERE cancel_reason = 'BILLING_KEY_DELETED'", 1));

  EXPECT_EQ(this->status(), "ACTIVE");  // paid up to its period's end
  const testing::HttpAnswer shown = h.admin("GET", "/admin/v1/users/42");
  const Poco::JSON::Object::Ptr subscription =
      json(shown.body)->getObject("data")->getArray("subscriptions")->getObject(0);
  EXPECT_TRUE(subscription->getValue<bool>("cancelAtPeriodEnd")) << shown.body;
  EXPECT_EQ(subscription->getValue<std::string>("cancelReason"), "BILLING_KEY_DELETED");
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "REVOKED");
  EXPECT_EQ(h.drainOutbox(), 2u);  // the schedule withdrawn at PortOne, the subscriber told
  EXPECT_EQ(h.portoneRequests("DELETE", "/payment-schedules"), 1);
  EXPECT_EQ(this->notices("%\"channel\":\"alimtalk\"%REGISTER_CARD%"), 1);
  // A redelivery changes nothing.
  const std::int64_t before = this->changes();
  const std::string body = R"({"type":"BillingKey.Deleted","timestamp":"2026-11-24T10:00:00Z",)"
                           R"("data":{"storeId":")" +
                           h.sandboxOptions().store_id + R"(","billingKey":"card-gone"}})";
  const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  EXPECT_EQ(h.postWebhook(body, "", "msg-deleted-again", timestamp,
                          h.signatureFor("msg-deleted-again", timestamp, body))
                .body,
            R"({"status":"cancelled","code":"BILLING_KEY_DELETED"})");
  EXPECT_EQ(this->changes(), before);

  // No later charge: nothing runs at the period's end, and the period-end job cancels it.
  EXPECT_TRUE(h.advanceSandboxTo(period_end + std::chrono::hours(1)).empty());
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id LIKE 'paymentd-%'"), 0);
  EXPECT_EQ(h.cancelDueAt(period_end + std::chrono::seconds(1)), 1u);
  EXPECT_EQ(this->status(), "CANCELLED");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscription_events WHERE action = 'period_end' AND "
                    "reason = 'BILLING_KEY_DELETED'"),
            1);
}

TYPED_TEST(OutsideChangesTest, BillingKeyUpdatedIsReadAtPortOneAndActsOnlyOnADeletedKey) {
  auto& h = this->h();
  h.registerCard("card-kept", 0, "succeed");
  this->startSubscription("card-kept");
  const auto updated = [&](const std::string& key, const std::string& id) {
    const std::string body = R"({"type":"BillingKey.Updated","timestamp":"2026-11-24T10:00:00Z",)"
                             R"("data":{"storeId":")" +
                             h.sandboxOptions().store_id + R"(","billingKey":")" + key + R"("}})";
    const std::string timestamp =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
    return h.postWebhook(body, "", id, timestamp, h.signatureFor(id, timestamp, body));
  };
  // Still issued at PortOne: read, and nothing changes.
  const std::int64_t before = this->changes();
  const testing::HttpAnswer kept = updated("card-kept", "msg-updated-1");
  EXPECT_EQ(kept.status, 200);
  EXPECT_EQ(kept.body, R"({"status":"stale","code":"BILLING_KEY_NOT_DELETED"})");
  EXPECT_EQ(h.portoneRequests("GET", "/billing-keys/card-kept"), 1);
  EXPECT_EQ(this->changes(), before);
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "SCHEDULED");

  // Deleted meanwhile (its own webhook lost): the update stops the renewals as a delete does.
  h.dropNextWebhooks(1);
  h.deleteBillingKey("card-kept");
  EXPECT_EQ(updated("card-kept", "msg-updated-2").body,
            R"({"status":"cancelled","code":"BILLING_KEY_DELETED"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions WHERE cancel_reason = "
                    "'BILLING_KEY_DELETED'"),
            1);
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a1"), "REVOKED");
}

TYPED_TEST(OutsideChangesTest, ANewCardAfterTheKeyWasDeletedKeepsTheSubscriptionRenewing) {
  auto& h = this->h();
  h.registerCard("card-gone", 0, "succeed");
  h.registerCard("card-new", 0, "succeed");
  this->startSubscription("card-gone");
  h.deleteBillingKey("card-gone");
  ASSERT_TRUE(h.waitForCount(
      "SELECT COUNT(*) FROM subscriptions WHERE cancel_reason = 'BILLING_KEY_DELETED'", 1));
  EXPECT_EQ(
      h.admin("POST", "/admin/v1/subscriptions/1/resume", R"({"reason":"r"})", "res-1").status,
      409);  // only a new card helps
  const auto card = h.admin("PUT", "/admin/v1/subscriptions/1/billing-key",
                            R"({"billingKey":"card-new","reason":"new card"})", "card-1");
  ASSERT_EQ(card.status, 200) << card.body;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions WHERE cancel_at_period_end"), 0);
  EXPECT_EQ(this->scheduleStatus("paymentd-sub1-c1-a2"), "PENDING");
  h.drainOutbox();
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/schedule"), 1);
  EXPECT_EQ(h.cancelDueAt(this->scheduledAt("paymentd-sub1-c1-a2") + std::chrono::seconds(1)), 0u);
  EXPECT_EQ(this->status(), "ACTIVE");
}

}  // namespace
}  // namespace paymentd::pipeline
