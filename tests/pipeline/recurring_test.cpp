// The other processors and the recurring story end to end: webhooks from the
// sandbox's schedules, the outbox worker creating the next schedule at the
// sandbox, and the failure policy of docs/operators.md on the sandbox's clock.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "fake_http_server.h"
#include "paymentd/calendar.h"
#include "paymentd/outbox.h"
#include "pipeline_harness.h"
#include "recurring/failure_policy.h"
#include "storage/time_codec.h"
#include "support/temp_dir.h"

namespace paymentd::pipeline {
namespace {

using Poco::JSON::Object;
using testing::HarnessOptions;
using testing::httpCall;
using testing::paidPayment;
using testing::PipelineHarness;

const std::string kFirstBilling = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";
const std::string kRenewal = "user_id=42&subscribe_id=monthly-4&payment_type=BILLING";

// Whether the sandbox's log shows an answer from the daemon to a webhook for `payment_id`.
bool webhookAnswered(std::uint16_t sandbox_port, const std::string& payment_id) {
  Poco::JSON::Parser parser;
  const auto deliveries =
      parser.parse(testing::httpCall(sandbox_port, "GET", "/_sandbox/webhooks").body)
          .extract<Poco::JSON::Object::Ptr>()
          ->getArray("deliveries");
  for (std::size_t i = 0; i < deliveries->size(); ++i) {
    const auto delivery = deliveries->getObject(static_cast<unsigned>(i));
    if (delivery->getValue<std::string>("paymentId") == payment_id &&
        delivery->getValue<int>("status") != 0) {
      return true;
    }
  }
  return false;
}

template <typename Backend>
class RecurringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kBackend);
    HarnessOptions options;
    options.every_processor = true;
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  PipelineHarness& h() { return *harness_; }

  // Routes the alimtalk and sms channels to the shipped Solapi notifier,
  // pointed at a fake Solapi.
  void useSolapi(const testing::FakeHttpServer& solapi) {
    HarnessOptions options;
    options.every_processor = true;
    for (const char* kind : {"alimtalk", "sms"}) {
      config::PluginEntry solapi_entry;
      solapi_entry.plugin = "solapi";
      solapi_entry.mark = config::SourceMark{"test.yaml", 1, 1};
      solapi_entry.config = {{"api_key_file", secrets_.write("solapi-key", "NCSKEY\n")},
                             {"api_secret_file", secrets_.write("solapi-secret", "SECRET\n")},
                             {"sender", "0212345678"},
                             {"kind", kind},
                             {"pf_id", "KA01PF000"},
                             {"templates", "PAYMENT_FAILED_RETRY=KA01TP111"},
                             {"texts", "CHECK_CARD=Check your card by #{retry_date}"},
                             {"api_base", solapi.url("")}};
      options.notifiers.emplace(kind, config::RolloutEntry{solapi_entry});
    }
    harness_.reset();
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  // A fresh harness whose renewals carry `payment_type` (recurring.payment_type).
  void useRenewalType(const std::string& payment_type) {
    harness_.reset();
    HarnessOptions options;
    options.every_processor = true;
    options.recurring.payment_type = payment_type;
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  // First billing on `card`, its schedule created at the sandbox by the worker.
  void startSubscription(const std::string& card,
                         const std::optional<std::string>& phone = std::nullopt) {
    h().createPayment(paidPayment("pay-1", 59000, card, phone));
    ASSERT_EQ(h().sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
              R"({"status":"fulfilled"})");
    ASSERT_EQ(h().drainOutbox(), 1u);
    ASSERT_EQ(h().portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/schedule"), 1);
  }
  Timestamp periodEnd() {
    return storage::fromMicros(h().count("SELECT period_end_us FROM subscriptions WHERE id = 1"));
  }
  // The time_to_pay paymentd recorded for this payment id (the schedule ledger).
  Timestamp scheduledAt(const std::string& payment_id) {
    const std::string where = " FROM payment_schedules WHERE payment_id = '" + payment_id + "'";
    if (h().count("SELECT COUNT(*)" + where) == 0) return Timestamp{};
    return storage::fromMicros(h().count("SELECT time_to_pay_us" + where));
  }
  // The amount the schedule for this payment id asks PortOne to charge.
  std::int64_t scheduledAmount(const std::string& payment_id) {
    const std::string where = " FROM payment_schedules WHERE payment_id = '" + payment_id + "'";
    if (h().count("SELECT COUNT(*)" + where) == 0) return -1;
    return h().count("SELECT amount" + where);
  }
  // Runs the schedule for `payment_id` at the sandbox and waits for its webhook's effect,
  // and for its answer: until then the daemon may still hold the payment's lock, and a
  // redelivery the test sends would be answered ALREADY_PROCESSING.
  void runSchedule(const std::string& payment_id, const std::string& until_sql,
                   std::int64_t until) {
    ASSERT_EQ(h().advanceSandboxTo(scheduledAt(payment_id)).size(), 1u) << payment_id;
    ASSERT_TRUE(h().waitForCount(until_sql, until)) << payment_id << ": " << until_sql;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!webhookAnswered(h().sandboxPort(), payment_id) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(webhookAnswered(h().sandboxPort(), payment_id)) << payment_id;
  }

  testing::TempDir secrets_;
  std::unique_ptr<PipelineHarness> harness_;
};

using Backends = ::testing::Types<testing::SqliteBackend, testing::PostgresBackend>;
TYPED_TEST_SUITE(RecurringTest, Backends, testing::BackendNames);

TYPED_TEST(RecurringTest, LumpSumIssuesTwelveTicketsAndSchedulesNothing) {
  auto& h = this->h();
  h.createPayment(paidPayment("pay-ls", 89000 * 12, std::nullopt));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-ls",
                          "user_id=42&subscribe_id=yearly-8&payment_type=LUMP_SUM")
                .body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions WHERE plan_id = 'yearly-8' AND "
                    "status = 'ACTIVE'"),
            1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE payment_id = 'pay-ls' AND lessons = 8"),
            12);
  EXPECT_EQ(h.count("SELECT COUNT(DISTINCT period_start_us) FROM tickets"), 12);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments p JOIN subscriptions s ON "
                    "s.id = p.subscription_id WHERE p.id = 'pay-ls' AND s.plan_id = 'yearly-8'"),
            1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-ls/cancel"), 0);
}

TYPED_TEST(RecurringTest, ATrialTwiceForOneUserRefundsTheSecond) {
  auto& h = this->h();
  const std::string query = "user_id=42&subscribe_id=trial-paid&payment_type=TRIAL";
  h.createPayment(paidPayment("pay-t1", 9900, std::nullopt));
  h.createPayment(paidPayment("pay-t2", 9900, std::nullopt));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-t1", query).body, R"({"status":"fulfilled"})");
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-t2", query).body,
            R"({"status":"refunded","code":"DUPLICATE_TRIAL"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions WHERE trial"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM lessons WHERE kind = 'TRIAL' AND user_id = '42'"), 1);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-t1/cancel"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-t2/cancel"), 1);
}

TYPED_TEST(RecurringTest, AFreeTrialOfZeroWonIsFulfilledAndAChargedOneRefunded) {
  auto& h = this->h();
  h.createPayment(paidPayment("pay-f1", 0, std::nullopt));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-f1",
                          "user_id=42&subscribe_id=trial&payment_type=TRIAL_FREE")
                .body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM lessons WHERE kind = 'TRIAL'"), 1);
  h.createPayment(paidPayment("pay-f2", 100, std::nullopt));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-f2",
                          "user_id=43&subscribe_id=trial&payment_type=TRIAL_FREE")
                .body,
            R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
}

// Issue 20 defect 4: a rejected payment of 0 KRW has nothing to give back.
// PortOne refuses to cancel 0 (CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT), and the
// refund used to stay FAILED, asked again by every reconciler pass forever.
TYPED_TEST(RecurringTest, ARejectedZeroWonPaymentIsAFinishedRefundWithoutACancel) {
  auto& h = this->h();
  const std::string query = "user_id=42&subscribe_id=trial&payment_type=TRIAL_FREE";
  h.createPayment(paidPayment("pay-z1", 0, std::nullopt));
  h.createPayment(paidPayment("pay-z2", 0, std::nullopt));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-z1", query).body, R"({"status":"fulfilled"})");
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-z2", query).body,
            R"({"status":"refunded","code":"DUPLICATE_TRIAL"})");
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-z2'"), "DONE");
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-z2/cancel"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = "
                    "'notice:PAYMENT_REFUNDED:pay-z2'"),
            1);
  EXPECT_EQ(h.reconcileAt(std::chrono::system_clock::now() + std::chrono::hours(2)), 0u);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-z2/cancel"), 0);
}

// Issue 20 defect 6: a coupon that discounted a payment is spent by it, for
// every processor (a host rule): a TRIAL paid with a coupon used to leave the
// coupon unused, to be spent again.
TYPED_TEST(RecurringTest, ACouponThatDiscountedATrialIsSpentByIt) {
  auto& h = this->h();
  testing::execute(h.database(),
                   "INSERT INTO coupons (id, user_id, discount, created_at_us) VALUES "
                   "('c-9', '42', 900, 0)");
  h.createPayment(paidPayment("pay-t9", 9000, std::nullopt));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-t9",
                          "user_id=42&subscribe_id=trial-paid&payment_type=TRIAL&coupon_id=c-9")
                .body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(h.text("SELECT used_by_payment_id FROM coupons WHERE id = 'c-9'"), "pay-t9");
  EXPECT_EQ(h.text("SELECT coupon_id FROM payments WHERE id = 'pay-t9'"), "c-9");

  // The same coupon again, on a first billing: refused and refunded.
  h.createPayment(paidPayment("pay-t10", 58100, std::string("card-ok")));
  const std::string body =
      h.sendWebhook("Transaction.Paid", "pay-t10", kFirstBilling + "&coupon_id=c-9").body;
  EXPECT_NE(body.find(R"("status":"refunded")"), std::string::npos) << body;
  EXPECT_EQ(h.text("SELECT used_by_payment_id FROM coupons WHERE id = 'c-9'"), "pay-t9");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'pay-t10'"), 0);
}

TYPED_TEST(RecurringTest, RenewsAtThePeriodsEndAndSchedulesTheNextCycle) {
  auto& h = this->h();
  this->startSubscription("card-ok");
  const Timestamp first_end = this->periodEnd();
  EXPECT_EQ(this->scheduledAt("paymentd-sub1-c1-a1"), first_end);
  // PortOne was asked to notify this daemon with the claims of a renewal.
  const std::string log = h.portoneRequestLog("POST", "/payments/paymentd-sub1-c1-a1/schedule");
  EXPECT_NE(log.find("user_id=42&subscribe_id=monthly-4&payment_type=BILLING"), std::string::npos)
      << log;

  this->runSchedule("paymentd-sub1-c1-a1",
                    "SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a1'", 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE payment_id = 'paymentd-sub1-c1-a1'"), 1);
  EXPECT_EQ(this->periodEnd(), addMonths(first_end, 1));
  EXPECT_EQ(h.drainOutbox(), 1u);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c2-a1/schedule"), 1);
  EXPECT_EQ(this->scheduledAt("paymentd-sub1-c2-a1"), addMonths(first_end, 1));
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/cancel"), 0);
}

// The failure policy (docs/operators.md) with the shipped thresholds: 1-2 AlimTalk, 3 SMS, 4-14
// admin, then FAILED. Every retry runs the next day at 10:00 in Seoul.
TYPED_TEST(RecurringTest, ACardThatAlwaysDeclinesFollowsTheFourteenDayPolicy) {
  auto& h = this->h();
  h.registerCard("card-declines", 0, "decline");
  this->startSubscription("card-declines");
  const Timestamp due = this->periodEnd();
  const std::string failures = "SELECT COUNT(*) FROM billing_failures";

  for (int attempt = 1; attempt <= 15; ++attempt) {
    const std::string id = scheduledPaymentId(1, 1, attempt);
    this->runSchedule(id, failures, attempt);
    if (attempt == 1) {  // a redelivery counts nothing and notifies nobody
      EXPECT_EQ(h.sendWebhook("Transaction.Failed", id,
                              "user_id=42&subscribe_id=monthly-4&payment_type=BILLING")
                    .body,
                R"({"status":"payment_failed","code":"PAYMENT_FAILED"})");
      EXPECT_EQ(h.count(failures), 1);
    }
    EXPECT_EQ(h.drainOutbox(), attempt <= 14 ? 2u : 1u) << attempt;
    EXPECT_EQ(h.count("SELECT consecutive_failures FROM subscriptions WHERE id = 1"), attempt);
    if (attempt <= 14) {
      const std::string next = scheduledPaymentId(1, 1, attempt + 1);
      EXPECT_EQ(h.portoneRequests("POST", "/payments/" + next + "/schedule"), 1) << next;
      // Day `attempt` after the due date, 10:00 KST = 01:00 UTC.
      const Timestamp expected =
          Timestamp(std::chrono::floor<std::chrono::days>(due + kSeoulOffset)) - kSeoulOffset +
          std::chrono::days(attempt) + std::chrono::hours(10);
      EXPECT_EQ(this->scheduledAt(next), expected) << recurring::seoulText(this->scheduledAt(next));
      EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "PAST_DUE");
    }
  }
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "FAILED");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = "
                    "'schedule:paymentd-sub1-c1-a16'"),
            0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a16/schedule"), 0);
  // Each failure's notice exactly once, on its tier's channel, and sent.
  const auto notices = [&](const std::string& where) {
    return h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND status = 'DONE' AND " +
                   where);
  };
  EXPECT_EQ(notices("payload LIKE '%\"channel\":\"alimtalk\"%PAYMENT_FAILED_RETRY%'"), 2);
  EXPECT_EQ(notices("payload LIKE '%\"channel\":\"sms\"%CHECK_CARD%'"), 1);
  EXPECT_EQ(notices("payload LIKE '%\"channel\":\"admin_slack\"%BILLING_FAILING%'"), 11);
  EXPECT_EQ(notices("payload LIKE '%\"channel\":\"admin_slack\"%SUBSCRIPTION_FAILED%'"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify'"), 15);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE stage = 'outbox:notify' AND "
                    "result = 'done'"),
            15);
  // Nothing more ever runs: the sandbox has no schedule left.
  EXPECT_TRUE(h.advanceSandboxTo(h.sandboxNow() + std::chrono::days(30)).empty());
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 1);
}

TYPED_TEST(RecurringTest, ASuccessOnTheFourthAttemptRestoresActiveAndStopsTheNotices) {
  auto& h = this->h();
  h.registerCard("card-3-declines", 3, "succeed");
  this->startSubscription("card-3-declines");
  const Timestamp first_end = this->periodEnd();
  for (int attempt = 1; attempt <= 3; ++attempt) {
    this->runSchedule(scheduledPaymentId(1, 1, attempt), "SELECT COUNT(*) FROM billing_failures",
                      attempt);
    EXPECT_EQ(h.drainOutbox(), 2u);
  }
  this->runSchedule("paymentd-sub1-c1-a4",
                    "SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a4'", 1);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
  EXPECT_EQ(h.count("SELECT consecutive_failures FROM subscriptions WHERE id = 1"), 0);
  EXPECT_EQ(this->periodEnd(), addMonths(first_end, 1));  // the period the customer paid for
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE payment_id = 'paymentd-sub1-c1-a4'"), 1);
  EXPECT_EQ(h.drainOutbox(), 1u);  // the next cycle's schedule, and no notice
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c2-a1/schedule"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify'"), 3);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'schedule:%-a5'"), 0);
}

// PortOne ran the renewal but its webhook never reached us (dropped here; in
// life, answered 503 until PortOne gave up): the reconciler asks PortOne and
// fulfils it as the webhook would have, and the chain of renewals goes on.
TYPED_TEST(RecurringTest, TheReconcilerFulfilsARenewalWhoseWebhookWasLost) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  this->startSubscription("card-ok");
  const std::string renewal = scheduledPaymentId(1, 1, 1);
  const Timestamp due = this->scheduledAt(renewal);
  EXPECT_EQ(h.text("SELECT next_payment_id FROM subscriptions WHERE id = 1"), renewal);
  h.dropNextWebhooks(1);
  ASSERT_EQ(h.advanceSandboxTo(due).size(), 1u);  // charged at PortOne; the webhook is lost
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = '" + renewal + "'"), 0);

  EXPECT_EQ(h.reconcileAt(due + std::chrono::minutes(5)), 0u);  // a webhook may still come
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(6)), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = '" + renewal + "'"), 1);
  EXPECT_EQ(h.text("SELECT payment_type FROM payments WHERE id = '" + renewal + "'"), "BILLING");
  // Both payments name the subscription they paid for.
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE subscription_id = 1"), 2);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE payment_id = '" + renewal + "'"), 1);
  EXPECT_EQ(this->periodEnd(), addMonths(due, 1));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = '" + renewal +
                    "' AND stage = 'reconcile' AND detail LIKE 'overdue_schedule%'"),
            1);
  EXPECT_EQ(h.drainOutbox(), 1u);  // the next cycle, scheduled as after any renewal
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c2-a1/schedule"), 1);
  EXPECT_EQ(h.text("SELECT next_payment_id FROM subscriptions WHERE id = 1"),
            "paymentd-sub1-c2-a1");
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(7)), 0u);  // settled: nothing to do
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 2);
}

// The same for a declined renewal: the failure is counted and the retry scheduled.
TYPED_TEST(RecurringTest, TheReconcilerCountsADeclinedRenewalWhoseWebhookWasLost) {
  auto& h = this->h();
  h.registerCard("card-declines", 0, "decline");
  this->startSubscription("card-declines");
  const std::string renewal = scheduledPaymentId(1, 1, 1);
  const Timestamp due = this->scheduledAt(renewal);
  h.dropNextWebhooks(1);
  ASSERT_EQ(h.advanceSandboxTo(due).size(), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 0);
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(1)), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures WHERE payment_id = '" + renewal + "'"),
            1);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "PAST_DUE");
  EXPECT_EQ(h.drainOutbox(), 2u);  // the retry's schedule and the first notice
  EXPECT_EQ(h.text("SELECT next_payment_id FROM subscriptions WHERE id = 1"),
            scheduledPaymentId(1, 1, 2));
  EXPECT_EQ(h.reconcileAt(due + std::chrono::hours(2)), 0u);  // the retry is not due yet
}

// Issue 7's recipient: the phone number PortOne has for the customer of the
// first payment reaches Solapi for the AlimTalk and SMS tiers, and nothing the
// daemon writes (outbox, events, trace) holds it in full.
TYPED_TEST(RecurringTest, FailureNoticesReachTheSubscribersPhoneAndNoRecordShowsTheNumber) {
  testing::FakeHttpServer solapi;
  this->useSolapi(solapi);
  auto& h = this->h();
  h.registerCard("card-declines", 0, "decline");
  this->startSubscription("card-declines", "+82 10-2345-6789");
  EXPECT_EQ(h.text("SELECT recipient_phone FROM subscriptions WHERE id = 1"), "01023456789");
  for (int attempt = 1; attempt <= 4; ++attempt) {
    this->runSchedule(scheduledPaymentId(1, 1, attempt), "SELECT COUNT(*) FROM billing_failures",
                      attempt);
    EXPECT_EQ(h.drainOutbox(), 2u) << attempt;  // the retry's schedule and the notice
  }
  const auto sent = solapi.requests();
  ASSERT_EQ(sent.size(), 3u);  // failures 1-2 by AlimTalk, 3 by SMS; 4 goes to the admin
  for (const auto& request : sent) {
    EXPECT_EQ(request.path, "/messages/v4/send");
    EXPECT_NE(request.body.find(R"("to":"01023456789","from":"0212345678")"), std::string::npos)
        << request.body;
  }
  EXPECT_NE(sent[0].body.find(R"("type":"ATA")"), std::string::npos);
  EXPECT_NE(sent[1].body.find(R"("type":"ATA")"), std::string::npos);
  EXPECT_NE(sent[2].body.find(R"("type":"SMS","text":"Check your card by )"), std::string::npos)
      << sent[2].body;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND status = 'DONE'"), 4);
  // Masked where the daemon records an attempt; nowhere in full.
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE stage = 'outbox:notify' AND "
                    "detail LIKE '%to 010****6789%'"),
            3);
  for (const char* table_column : {"outbox:payload", "outbox:last_error", "payment_events:detail",
                                   "payment_failures:message"}) {
    const std::string spec = table_column;
    const std::string table = spec.substr(0, spec.find(':'));
    const std::string column = spec.substr(spec.find(':') + 1);
    EXPECT_EQ(h.count("SELECT COUNT(*) FROM " + table + " WHERE " + column +
                      " LIKE '%23456789%' OR " + column + " LIKE '%2345-6789%'"),
              0)
        << spec;
  }
  const testing::ProcessResult trace = h.trace(scheduledPaymentId(1, 1, 1));
  EXPECT_EQ(trace.exit_code, 0) << trace.err;
  EXPECT_NE(trace.out.find("010****6789"), std::string::npos) << trace.out;
  EXPECT_EQ(trace.out.find("23456789"), std::string::npos) << trace.out;
}

TYPED_TEST(RecurringTest, ANoticeToASubscriberWithoutAPhoneNumberGoesDeadSayingWhy) {
  testing::FakeHttpServer solapi;
  this->useSolapi(solapi);
  auto& h = this->h();
  h.registerCard("card-declines", 0, "decline");
  this->startSubscription("card-declines");  // PortOne has no phone number for this customer
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions WHERE recipient_phone IS NULL"), 1);
  this->runSchedule(scheduledPaymentId(1, 1, 1), "SELECT COUNT(*) FROM billing_failures", 1);
  EXPECT_EQ(h.drainOutbox(), 3u);  // the retry's schedule, the notice, the admin's alert of it
  EXPECT_TRUE(solapi.requests().empty());
  const std::string notice = " FROM outbox WHERE dedupe_key LIKE 'notice:billing-failed:%'";
  EXPECT_EQ(h.text("SELECT status" + notice), "DEAD");
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE dedupe_key LIKE 'notice:OUTBOX_ITEM_DEAD:%'"),
            "DONE");
  EXPECT_EQ(h.text("SELECT last_error" + notice),
            "solapi@1.1.0 PAYMENT_FAILED_RETRY (no phone number stored for subscription 1) "
            "NO_RECIPIENT: no phone number is stored for this subscriber");
}

// A price change reaches a subscriber one cycle later: the renewal PortOne was
// already asked for is charged, and fulfilled, at the amount it was scheduled
// with; the renewal after it is scheduled at the new price.
TYPED_TEST(RecurringTest, ARenewalScheduledBeforeAPriceChangeIsFulfilledAtTheScheduledAmount) {
  auto& h = this->h();
  this->startSubscription("card-ok");
  EXPECT_EQ(this->scheduledAmount("paymentd-sub1-c1-a1"), 59000);
  h.changePlanPrice("monthly-4", 69000);
  ASSERT_EQ(h.count("SELECT price FROM plans WHERE id = 'monthly-4'"), 69000);

  this->runSchedule("paymentd-sub1-c1-a1",
                    "SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a1'", 1);
  EXPECT_EQ(h.count("SELECT amount FROM payments WHERE id = 'paymentd-sub1-c1-a1'"), 59000);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_failures"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/cancel"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = "
                    "'paymentd-sub1-c1-a1' AND stage = 'schedule' AND result = 'ok' AND "
                    "detail = 'paymentd scheduled 59000 KRW'"),
            1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE payment_id = 'paymentd-sub1-c1-a1'"), 1);

  // The next cycle is scheduled at the new price, and fulfilled at it.
  EXPECT_EQ(h.drainOutbox(), 1u);
  EXPECT_EQ(this->scheduledAmount("paymentd-sub1-c2-a1"), 69000);
  this->runSchedule("paymentd-sub1-c2-a1",
                    "SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c2-a1'", 1);
  EXPECT_EQ(h.count("SELECT amount FROM payments WHERE id = 'paymentd-sub1-c2-a1'"), 69000);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c2-a1/cancel"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 3);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
}

// Only paymentd makes ids like paymentd-sub1-c7-a1, and it records each one it
// makes. A payment that merely borrows the pattern is refunded, even at the
// plan's price and with the subscription's billing key.
TYPED_TEST(RecurringTest, APaidPaymentThatBorrowsAScheduledIdIsRefunded) {
  auto& h = this->h();
  this->startSubscription("card-ok");
  h.createPayment(paidPayment("paymentd-sub1-c7-a1", 59000, std::string("card-ok")));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "paymentd-sub1-c7-a1", kRenewal).body,
            R"({"status":"refunded","code":"UNKNOWN_SCHEDULE"})");
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c7-a1/cancel"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(this->periodEnd(),
            storage::fromMicros(h.count("SELECT period_end_us FROM tickets WHERE id = 1")));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = "
                    "'paymentd-sub1-c7-a1' AND stage = 'schedule' AND result = 'missing'"),
            1);
}

// The retry of a declined renewal charges what the declined attempt asked for,
// not the price the plan has now.
TYPED_TEST(RecurringTest, ARetryAfterAPriceChangeChargesTheDeclinedAttemptsAmount) {
  auto& h = this->h();
  h.registerCard("card-1-decline", 1, "succeed");
  this->startSubscription("card-1-decline");
  h.changePlanPrice("monthly-4", 69000);

  this->runSchedule("paymentd-sub1-c1-a1", "SELECT COUNT(*) FROM billing_failures", 1);
  EXPECT_EQ(h.drainOutbox(), 2u);  // the notice and the retry's schedule
  EXPECT_EQ(this->scheduledAmount("paymentd-sub1-c1-a2"), 59000);
  const std::string asked = h.portoneRequestLog("POST", "/payments/paymentd-sub1-c1-a2/schedule");
  EXPECT_NE(asked.find("59000"), std::string::npos) << asked;
  EXPECT_EQ(asked.find("69000"), std::string::npos) << asked;

  this->runSchedule("paymentd-sub1-c1-a2",
                    "SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a2'", 1);
  EXPECT_EQ(h.count("SELECT amount FROM payments WHERE id = 'paymentd-sub1-c1-a2'"), 59000);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/cancel"), 0);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
  EXPECT_EQ(h.drainOutbox(), 1u);
  EXPECT_EQ(this->scheduledAmount("paymentd-sub1-c2-a1"), 69000);
}

// A declined payment under a borrowed id counts against nobody: it must not
// push a subscription towards FAILED, nor make paymentd schedule a retry.
TYPED_TEST(RecurringTest, AFailedPaymentThatBorrowsAScheduledIdIsNotCounted) {
  auto& h = this->h();
  this->startSubscription("card-ok");
  Object failed = paidPayment("paymentd-sub1-c8-a1", 59000, std::string("card-ok"));
  failed.set("status", "FAILED");
  h.createPayment(failed);
  EXPECT_EQ(h.sendWebhook("Transaction.Failed", "paymentd-sub1-c8-a1", kRenewal).body,
            R"({"status":"payment_failed","code":"PAYMENT_FAILED"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 0);
  EXPECT_EQ(h.count("SELECT consecutive_failures FROM subscriptions WHERE id = 1"), 0);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE '%c8%'"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = "
                    "'paymentd-sub1-c8-a1' AND stage = 'recurring' AND result = 'skipped' AND "
                    "detail = 'paymentd never scheduled paymentd-sub1-c8-a1'"),
            1);
}

// recurring.payment_type is the one setting for renewals: the schedules the
// processors ask for carry it to PortOne, the failure policy counts it, and
// BILLING means nothing to this deployment.
TYPED_TEST(RecurringTest, ANonDefaultRenewalTypeRenewsRetriesAndSchedulesUnderThatType) {
  this->useRenewalType("RENEWAL");
  auto& h = this->h();
  h.registerCard("card-1-decline", 1, "succeed");
  this->startSubscription("card-1-decline");
  const std::string renewal = "user_id=42&subscribe_id=monthly-4&payment_type=RENEWAL";
  const std::string asked = h.portoneRequestLog("POST", "/payments/paymentd-sub1-c1-a1/schedule");
  EXPECT_NE(asked.find(renewal), std::string::npos) << asked;

  // The decline is counted under RENEWAL, and its retry is scheduled with it.
  this->runSchedule("paymentd-sub1-c1-a1", "SELECT COUNT(*) FROM billing_failures", 1);
  EXPECT_EQ(h.text("SELECT payment_type FROM payment_failures WHERE payment_id = "
                   "'paymentd-sub1-c1-a1'"),
            "RENEWAL");
  EXPECT_EQ(h.drainOutbox(), 2u);
  const std::string retry = h.portoneRequestLog("POST", "/payments/paymentd-sub1-c1-a2/schedule");
  EXPECT_NE(retry.find(renewal), std::string::npos) << retry;

  this->runSchedule("paymentd-sub1-c1-a2",
                    "SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a2'", 1);
  EXPECT_EQ(h.text("SELECT payment_type FROM payments WHERE id = 'paymentd-sub1-c1-a2'"),
            "RENEWAL");
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/cancel"), 0);
  EXPECT_EQ(h.drainOutbox(), 1u);
  const std::string next = h.portoneRequestLog("POST", "/payments/paymentd-sub1-c2-a1/schedule");
  EXPECT_NE(next.find(renewal), std::string::npos) << next;
  EXPECT_EQ(next.find("payment_type=BILLING"), std::string::npos) << next;
}

// Schedules PortOne already holds keep the payment type they were created
// with. After an operator switched recurring.payment_type from BILLING to
// RENEWAL, a decline arriving under BILLING is still a renewal's decline: it
// is counted and retried (under RENEWAL), or the subscription would lapse
// silently.
TYPED_TEST(RecurringTest, ADeclineUnderTheFormerRenewalTypeIsStillCountedAndRetried) {
  this->useRenewalType("RENEWAL");
  auto& h = this->h();
  h.registerCard("card-declines", 0, "decline");
  this->startSubscription("card-declines");
  // PortOne's own webhook is lost; the one that arrives carries the former type.
  h.dropNextWebhooks(1);
  ASSERT_EQ(h.advanceSandboxTo(this->scheduledAt("paymentd-sub1-c1-a1")).size(), 1u);
  EXPECT_EQ(h.sendWebhook("Transaction.Failed", "paymentd-sub1-c1-a1", kRenewal).body,
            R"({"status":"payment_failed","code":"PAYMENT_FAILED"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM billing_failures"), 1);
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "PAST_DUE");
  EXPECT_EQ(h.drainOutbox(), 2u);
  const std::string retry = h.portoneRequestLog("POST", "/payments/paymentd-sub1-c1-a2/schedule");
  EXPECT_NE(retry.find("payment_type=RENEWAL"), std::string::npos) << retry;
}

// Issue 20 defect 12: the check API is for the browser that made a payment. A
// renewal's id is paymentd's own and guessable (paymentd-sub1-c2-a1), so the
// API answers every such id alike, whether it was charged, declined or never
// existed: no subscription's decline history can be read through it.
TYPED_TEST(RecurringTest, TheCheckApiTellsNothingAboutRenewals) {
  auto& h = this->h();
  h.registerCard("card-1-decline", 1, "succeed");
  this->startSubscription("card-1-decline");
  this->runSchedule("paymentd-sub1-c1-a1", "SELECT COUNT(*) FROM billing_failures", 1);
  const testing::HttpAnswer declined = h.check("paymentd-sub1-c1-a1");
  const testing::HttpAnswer unknown = h.check("paymentd-sub7-c3-a1");
  EXPECT_EQ(declined.status, 404);
  EXPECT_EQ(declined.body, unknown.body);
  EXPECT_EQ(declined.body.find("failed"), std::string::npos) << declined.body;
  EXPECT_EQ(h.check("pay-1").status, 200);  // the browser's own payment still answers
}

// A declined renewal approved late by PortOne (it happens)
// pays its cycle: the retry paymentd had scheduled for that cycle is withdrawn
// at PortOne, so the customer is charged once and the period extended once.
TYPED_TEST(RecurringTest, ALateApprovalPaysTheCycleAndWithdrawsItsScheduledRetry) {
  auto& h = this->h();
  h.registerCard("card-1-decline", 1, "succeed");
  this->startSubscription("card-1-decline");
  const Timestamp first_end = this->periodEnd();
  this->runSchedule("paymentd-sub1-c1-a1", "SELECT COUNT(*) FROM billing_failures", 1);
  EXPECT_EQ(h.drainOutbox(), 2u);  // the notice and the retry
  ASSERT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a2/schedule"), 1);

  ASSERT_EQ(
      httpCall(h.sandboxPort(), "POST", "/_sandbox/payments/paymentd-sub1-c1-a1/pay", "{}").status,
      200);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a1'", 1));
  EXPECT_EQ(h.text("SELECT status FROM subscriptions WHERE id = 1"), "ACTIVE");
  EXPECT_EQ(this->periodEnd(), addMonths(first_end, 1));
  EXPECT_EQ(h.text("SELECT status FROM payment_schedules WHERE payment_id = 'paymentd-sub1-c1-a2'"),
            "REVOKED");
  EXPECT_EQ(h.drainOutbox(), 2u);  // the withdrawal and the next cycle's schedule
  EXPECT_EQ(h.portoneRequests("DELETE", "/payment-schedules"), 1);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c2-a1/schedule"), 1);

  // The retry's moment passes: PortOne runs nothing for it.
  EXPECT_TRUE(h.advanceSandboxTo(this->scheduledAt("paymentd-sub1-c1-a2")).empty());
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a2'"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 2);  // the first month and cycle 1
}

// When the withdrawal comes too late (PortOne charged the retry first, or the
// late approval arrives after the retry was paid), the second paid attempt of
// the cycle is refunded: one cycle is paid for at most once.
TYPED_TEST(RecurringTest, ASecondPaidAttemptOfAPaidCycleIsRefunded) {
  auto& h = this->h();
  h.registerCard("card-1-decline", 1, "succeed");
  this->startSubscription("card-1-decline");
  const Timestamp first_end = this->periodEnd();
  this->runSchedule("paymentd-sub1-c1-a1", "SELECT COUNT(*) FROM billing_failures", 1);
  EXPECT_EQ(h.drainOutbox(), 2u);
  this->runSchedule("paymentd-sub1-c1-a2",
                    "SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a2'", 1);

  // The first attempt, declined before, is approved now.
  ASSERT_EQ(
      httpCall(h.sandboxPort(), "POST", "/_sandbox/payments/paymentd-sub1-c1-a1/pay", "{}").status,
      200);
  ASSERT_TRUE(
      h.waitForCount("SELECT COUNT(*) FROM payment_failures WHERE payment_id = "
                     "'paymentd-sub1-c1-a1' AND code = 'CYCLE_ALREADY_PAID' AND refund = "
                     "'DONE'",
                     1));
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/cancel"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a1'"), 0);
  EXPECT_EQ(this->periodEnd(), addMonths(first_end, 1));  // extended once
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 2);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules WHERE subscription_id = 1 AND "
                    "cycle = 1 AND status = 'PAID'"),
            1);
  // A redelivery of the refunded approval changes nothing and refunds nothing again.
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "paymentd-sub1-c1-a1", kRenewal).status, 200);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub1-c1-a1/cancel"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 2);
}

}  // namespace
}  // namespace paymentd::pipeline
