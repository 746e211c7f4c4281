// Issue 20 defects 4 and 5: every retry loop has an end and an outcome. A
// renewal whose schedule never reached PortOne, an outbox item that went dead,
// a refund PortOne keeps refusing: each is finished or handed to an operator
// once, and none is taken up again and again.
#include <gtest/gtest.h>

#include "fake_http_server.h"
#include "paymentd/outbox.h"
#include "pipeline_harness.h"
#include "portone/api_client.h"
#include "storage/outbox_queue.h"
#include "storage/time_codec.h"
#include "support/temp_dir.h"

namespace paymentd::pipeline {
namespace {

using Poco::JSON::Object;
using testing::HarnessOptions;
using testing::paidPayment;
using testing::PipelineHarness;

const std::string kFirstBilling = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";

// PortOne refuses `count` requests under `path` with a permanent 400.
Object refusal(const std::string& path, const std::string& type, int count) {
  Object fault;
  fault.set("path", path);
  fault.set("kind", "status");
  fault.set("status", 400);
  fault.set("type", type);
  fault.set("count", count);
  return fault;
}

template <typename Backend>
class RetryEndsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kBackend);
    HarnessOptions options;
    options.every_processor = true;
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  PipelineHarness& h() { return *harness_; }

  Timestamp scheduledAt(const std::string& payment_id) {
    return storage::fromMicros(h().count(
        "SELECT time_to_pay_us FROM payment_schedules WHERE payment_id = '" + payment_id + "'"));
  }

  // A fresh harness whose admin channel is the Slack notifier, posting to `slack`.
  void useSlackForTheAdmin(const testing::FakeHttpServer& slack) {
    HarnessOptions options;
    options.every_processor = true;
    config::PluginEntry entry;
    entry.plugin = "slack";
    entry.mark = config::SourceMark{"test.yaml", 1, 1};
    entry.config = {{"webhook_url_file", secrets_.write("slack-url", slack.url("/hook") + "\n")}};
    options.notifiers.emplace("admin_slack", config::RolloutEntry{entry});
    harness_.reset();
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  std::int64_t notices(const std::string& key) {
    return h().count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND dedupe_key = '" + key +
                     "'");
  }
  std::int64_t gaveUpEvents(const std::string& payment_id) {
    return h().count("SELECT COUNT(*) FROM payment_events WHERE payment_id = '" + payment_id +
                     "' AND stage = 'reconcile' AND result = 'gave_up'");
  }

  testing::TempDir secrets_;
  std::unique_ptr<PipelineHarness> harness_;
};

using Backends = ::testing::Types<testing::SqliteBackend, testing::PostgresBackend>;
TYPED_TEST_SUITE(RetryEndsTest, Backends, testing::BackendNames);

// Defect 5: PortOne refused the next cycle's schedule for good, so PortOne will
// never charge it. Once it is overdue, the reconciler finds PortOne has no such
// payment: that attempt failed, and it goes the way of any failed renewal
// (counted, PAST_DUE, the retry scheduled), once; it is not taken up again.
TYPED_TEST(RetryEndsTest, ARenewalWhoseScheduleWentDeadIsAFailedAttemptAndLeavesTheBatch) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  const std::string renewal = scheduledPaymentId(1, 1, 1);
  h.addFault(refusal("/payments/" + renewal + "/schedule", "INVALID_REQUEST", 1));
  h.createPayment(paidPayment("pay-1", 59000, "card-ok"));
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  h.drainOutbox();
  ASSERT_EQ(h.text("SELECT status FROM outbox WHERE dedupe_key = 'schedule:" + renewal + "'"),
            "DEAD");
  ASSERT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
  const Timestamp due = this->scheduledAt(renewal);

  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(1)), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures WHERE payment_id = '" + renewal + "'"),
            1);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "PAST_DUE");
  EXPECT_EQ(h.text("SELECT status FROM payment_schedules WHERE payment_id = '" + renewal + "'"),
            "FAILED");
  const std::string retry = scheduledPaymentId(1, 1, 2);
  EXPECT_EQ(h.text("SELECT next_payment_id FROM subscriptions WHERE id = 1"), retry);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = '" + renewal +
                    "' AND stage = 'recurring' AND result = 'counted'"),
            1);

  // Settled: the next passes leave it alone, and the retry reaches PortOne.
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(2)), 0u);
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(3)), 0u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 1);
  h.drainOutbox();
  EXPECT_EQ(h.portoneRequests("POST", "/payments/" + retry + "/schedule"), 1);
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE dedupe_key = 'schedule:" + retry + "'"),
            "DONE");
}

// The rule above goes by PortOne's view, not by the item: a schedule whose item
// went dead but which PortOne holds anyway (e.g. an earlier daemon's request
// reached it) and ran is the payment PortOne shows, fulfilled, and no failure
// is counted.
TYPED_TEST(RetryEndsTest, AScheduleWhoseItemWentDeadButThatPortOneRanIsFulfilled) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  const std::string renewal = scheduledPaymentId(1, 1, 1);
  h.addFault(refusal("/payments/" + renewal + "/schedule", "INVALID_REQUEST", 1));
  h.createPayment(paidPayment("pay-1", 59000, "card-ok"));
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  h.drainOutbox();
  ASSERT_EQ(h.text("SELECT status FROM outbox WHERE dedupe_key = 'schedule:" + renewal + "'"),
            "DEAD");
  const Timestamp due = this->scheduledAt(renewal);
  portone::PaymentScheduleRequest held;  // PortOne holds the schedule after all
  held.payment_id = renewal;
  held.charge.billing_key = "card-ok";
  held.charge.order_name = "Monthly, 4 lessons";
  held.charge.amount = 59000;
  held.charge.notice_urls = {
      h.webhookUrl("user_id=42&subscribe_id=monthly-4&payment_type=BILLING")};
  held.time_to_pay = due;
  held.idempotency_key = "an-earlier-daemons-key-0002";
  h.portone().createPaymentSchedule(held);
  h.dropNextWebhooks(1);
  ASSERT_EQ(h.advanceSandboxTo(due).size(), 1u);  // PortOne charges it; the webhook is lost
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(1)), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = '" + renewal + "'"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 0);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
}

// Defect 4, the generic half: a refund PortOne keeps refusing is tried again by
// every reconciler pass, but not for ever. After the give-up age (7 days from
// the first intent) it is left to an operator, who is told once.
TYPED_TEST(RetryEndsTest, ARefundThatKeepsFailingStopsAfterTheGiveUpAgeAndTellsTheAdminOnce) {
  auto& h = this->h();
  // PortOne refuses every cancel of it.
  h.addFault(refusal("/payments/pay-2/cancel", "INVALID_REQUEST", -1));
  h.createPayment(paidPayment("pay-2", 1000, "card-ok"));  // not the plan's price: refunded
  h.sendWebhook("Transaction.Paid", "pay-2", kFirstBilling);
  ASSERT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-2'"), "FAILED");
  ASSERT_EQ(h.portoneRequests("POST", "/payments/pay-2/cancel"), 1);
  const Timestamp now = std::chrono::system_clock::now();

  EXPECT_EQ(h.reconcileAt(now + std::chrono::hours(1)), 1u);  // tried again
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-2/cancel"), 2);
  EXPECT_EQ(this->gaveUpEvents("pay-2"), 0);

  EXPECT_EQ(h.reconcileAt(now + std::chrono::days(8)), 0u);  // given up: not tried
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-2/cancel"), 2);
  const std::string key = "notice:RETRY_GAVE_UP:refund:pay-2";
  EXPECT_EQ(this->notices(key), 1);
  EXPECT_EQ(this->gaveUpEvents("pay-2"), 1);
  EXPECT_NE(h.text("SELECT payload FROM outbox WHERE dedupe_key = '" + key + "'")
                .find(R"("channel":"admin_slack")"),
            std::string::npos);

  EXPECT_EQ(h.reconcileAt(now + std::chrono::days(9)), 0u);  // told once
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-2/cancel"), 2);
  EXPECT_EQ(this->notices(key), 1);
  EXPECT_EQ(this->gaveUpEvents("pay-2"), 1);
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-2'"), "FAILED");
}

// The same end for a renewal PortOne never settles (its schedule was accepted
// but PortOne never ran it): taken up every pass for the give-up age, then
// handed to an operator once, and out of the batch.
TYPED_TEST(RetryEndsTest, ARenewalPortOneNeverSettlesIsHandedToAnOperatorOnce) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  const std::string renewal = scheduledPaymentId(1, 1, 1);
  h.createPayment(paidPayment("pay-1", 59000, "card-ok"));
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  ASSERT_EQ(h.drainOutbox(), 1u);
  const Timestamp due = this->scheduledAt(renewal);
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(1)), 1u);  // PortOne: no such payment yet
  EXPECT_EQ(h.reconcileAt(due + std::chrono::days(6)), 1u);
  EXPECT_EQ(h.reconcileAt(due + std::chrono::days(8)), 0u);
  const std::string key = "notice:RETRY_GAVE_UP:renewal:" + renewal;
  EXPECT_EQ(this->notices(key), 1);
  EXPECT_EQ(h.reconcileAt(due + std::chrono::days(9)), 0u);
  EXPECT_EQ(this->notices(key), 1);
  EXPECT_EQ(this->gaveUpEvents(renewal), 1);
  EXPECT_EQ(h.portoneRequests("GET", "/payments/" + renewal), 2);
}

// Every outbox item that goes dead is reported to the admin channel once; a
// dead notice to the admin channel itself is not (that could only die too).
TYPED_TEST(RetryEndsTest, AnOutboxItemThatGoesDeadTellsTheAdminOnce) {
  testing::FakeHttpServer slack;
  this->useSlackForTheAdmin(slack);
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  const std::string renewal = scheduledPaymentId(1, 1, 1);
  h.addFault(refusal("/payments/" + renewal + "/schedule", "INVALID_REQUEST", 2));
  slack.queue(404, "no_service");  // the alert itself dies: a Slack 4xx is permanent
  h.createPayment(paidPayment("pay-1", 59000, "card-ok"));
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(h.drainOutbox(), 2u);  // the schedule (dead), then its alert (dead)
  const std::int64_t item =
      h.count("SELECT id FROM outbox WHERE dedupe_key = 'schedule:" + renewal + "'");
  const std::string alert = "notice:OUTBOX_ITEM_DEAD:" + std::to_string(item);
  EXPECT_EQ(this->notices(alert), 1);
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE dedupe_key = '" + alert + "'"), "DEAD");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE "
                    "'notice:OUTBOX_ITEM_DEAD:%'"),
            1);  // none for the dead alert
  ASSERT_EQ(slack.requests().size(), 1u);
  EXPECT_NE(slack.requests()[0].body.find("OUTBOX_ITEM_DEAD"), std::string::npos)
      << slack.requests()[0].body;
  EXPECT_NE(slack.requests()[0].body.find(renewal), std::string::npos);

  // An operator revives it and it dies again: still one alert for the item.
  ASSERT_TRUE(storage::OutboxQueue(h.database()).retryNow(item));
  EXPECT_EQ(h.drainOutbox(), 1u);
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE id = " + std::to_string(item)), "DEAD");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE "
                    "'notice:OUTBOX_ITEM_DEAD:%'"),
            1);
}

}  // namespace
}  // namespace paymentd::pipeline
