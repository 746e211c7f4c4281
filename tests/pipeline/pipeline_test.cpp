// The webhook pipeline end to end: what lands in the database, what PortOne
// was asked, and what PortOne and the browser are answered (docs/operations.md, Webhook answers).
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <thread>

#include "deployments.h"
#include "pipeline_harness.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::HttpAnswer;
using testing::httpCall;
using testing::PipelineHarness;
using testing::ProcessResult;

using Poco::JSON::Object;

const std::string kFirstBilling = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";

Object paidCardPayment(const std::string& id, std::int64_t amount) {
  Object payment;
  payment.set("id", id);
  payment.set("status", "PAID");
  payment.set("amount", amount);
  payment.set("method", "card");
  payment.set("billingKey", "billing-key-" + id);
  payment.set("customerId", "42");
  return payment;
}

template <typename Deployment>
class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Deployment::kBackend);
    const auto lock_url = Deployment::lockUrl();
    if (!lock_url) {
      if (testing::serversRequired()) FAIL() << "PAYMENTD_TEST_REDIS is not set";
      GTEST_SKIP() << "PAYMENTD_TEST_REDIS is not set";
    }
    harness_ = std::make_unique<PipelineHarness>(Deployment::kBackend, *lock_url);
  }

  PipelineHarness& h() { return *harness_; }
  int cancels(const std::string& id) {
    return h().portoneRequests("POST", "/payments/" + id + "/cancel");
  }
  // PortOne answers `status` to every `method` request on `path` until clearFaults().
  void failAlways(const std::string& method, const std::string& path, int status) {
    Object fault;
    fault.set("method", method);
    fault.set("path", path);
    fault.set("kind", "status");
    fault.set("status", status);
    fault.set("count", -1);
    h().addFault(fault);
  }

  std::unique_ptr<PipelineHarness> harness_;
};

TYPED_TEST_SUITE(PipelineTest, testing::Deployments, testing::BackendNames);

TYPED_TEST(PipelineTest, FulfilsAFirstBillingOnceAndAnswersRedeliveriesWithoutChange) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-1", 59000));
  EXPECT_EQ(
      h.check("pay-1").body,
      R"({"data":{"paymentId":"pay-1","status":"pending","paymentType":null,"reason":null,"refunded":false}})");

  HttpAnswer first = h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, R"({"status":"fulfilled"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'pay-1'"), 1);
  EXPECT_EQ(
      h.count("SELECT COUNT(*) FROM subscriptions WHERE user_id = '42' AND plan_id = 'monthly-4' "
              "AND status = 'ACTIVE' AND billing_key = 'billing-key-pay-1'"),
      1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets WHERE payment_id = 'pay-1' AND lessons = 4"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'schedule_payment'"), 1);
  EXPECT_EQ(
      h.check("pay-1").body,
      R"({"data":{"paymentId":"pay-1","status":"completed","paymentType":"FIRST_BILLING","reason":null,"refunded":false}})");

  // A completed payment is read again on every poll: an operator may refund it, on any
  // daemon. (Moving the row behind the daemon's back shows where the answer comes from.)
  testing::execute(h.database(), "UPDATE payments SET id = 'moved' WHERE id = 'pay-1'");
  EXPECT_NE(h.check("pay-1").body.find(R"("status":"pending")"), std::string::npos);
  testing::execute(h.database(), "UPDATE payments SET id = 'pay-1' WHERE id = 'moved'");

  HttpAnswer again = h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"status":"already_fulfilled","code":"ALREADY_FULFILLED"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(this->cancels("pay-1"), 0);
  // The trace names every step and each plugin with its version.
  EXPECT_EQ(h.text("SELECT stage FROM payment_events WHERE payment_id = 'pay-1' AND stage LIKE "
                   "'processor:%'"),
            "processor:first-billing@1.2.0");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = 'pay-1' AND stage LIKE "
                    "'validator:%'"),
            5);
}

TYPED_TEST(PipelineTest, RefundsAWrongAmountOnceAndRecordsWhy) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-2", 50000));
  HttpAnswer answer = h.sendWebhook("Transaction.Paid", "pay-2", kFirstBilling);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'schedule_payment'"), 0);
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-2' AND code = "
                   "'AMOUNT_MISMATCH'"),
            "DONE");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND dedupe_key = "
                    "'notice:PAYMENT_REFUNDED:pay-2'"),
            1);
  ASSERT_EQ(this->cancels("pay-2"), 1);
  EXPECT_EQ(h.idempotencyKeys("POST", "/payments/pay-2/cancel"),
            std::vector<std::string>{"paymentd-refund-pay-2"});
  const std::string cancel = h.portoneRequestLog("POST", "/payments/pay-2/cancel");
  EXPECT_NE(cancel.find(R"(currentCancellableAmount\":50000)"), std::string::npos) << cancel;
  EXPECT_EQ(
      h.check("pay-2").body,
      R"({"data":{"paymentId":"pay-2","status":"failed","paymentType":"FIRST_BILLING","reason":"AMOUNT_MISMATCH","refunded":true}})");

  const std::string metrics = h.metrics().render();
  EXPECT_NE(metrics.find(R"(paymentd_refunds_total{reason="AMOUNT_MISMATCH",result="done"} 1)"),
            std::string::npos)
      << metrics;
  EXPECT_NE(
      metrics.find(R"(paymentd_portone_calls_total{endpoint="cancel_payment",outcome="ok"} 1)"),
      std::string::npos);
  EXPECT_NE(
      metrics.find(R"(paymentd_webhooks_total{outcome="refunded",type="Transaction.Paid"} 1)"),
      std::string::npos);

  // What Prometheus scrapes parses with its own text parser (python3-prometheus-client).
  const std::string metrics_file = h.writeFile("metrics.txt", metrics);
  const ProcessResult parsed = testing::runProcess(
      "/usr/bin/python3",
      {"-c",
       "import sys; from prometheus_client.parser import text_string_to_metric_families as p; "
       "print(' '.join(sorted(f.name for f in p(open(sys.argv[1]).read()))))",
       metrics_file});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
  const std::string families = " " + parsed.out.substr(0, parsed.out.find('\n')) + " ";
  for (const char* family : {"paymentd_refunds", "paymentd_webhooks", "paymentd_portone_calls",
                             "paymentd_stage_duration_seconds", "paymentd_build_info"}) {
    EXPECT_NE(families.find(std::string(" ") + family + " "), std::string::npos)
        << family << " in" << families;
  }

  for (int i = 0; i < 3; ++i) {
    HttpAnswer again = h.sendWebhook("Transaction.Paid", "pay-2", kFirstBilling);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body, R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  }
  EXPECT_EQ(this->cancels("pay-2"), 1) << "a redelivery must not refund twice";

  const ProcessResult trace = h.trace("pay-2");
  EXPECT_NE(trace.out.find("validator:amount@1.1.0"), std::string::npos);
  EXPECT_NE(trace.out.find("AMOUNT_MISMATCH: paid 50000, expected 59000"), std::string::npos)
      << trace.out;
  EXPECT_NE(trace.out.find("refund                             intended"), std::string::npos)
      << trace.out;
  EXPECT_NE(
      trace.out.find("failure: AMOUNT_MISMATCH: paid 50000, expected 59000 (plan monthly-4: 59000 "
                     "less coupon 0) (refund: DONE)"),
      std::string::npos)
      << trace.out;
  EXPECT_NE(trace.out.find("notify  notice:PAYMENT_REFUNDED:pay-2  PENDING"), std::string::npos)
      << trace.out;
}

TYPED_TEST(PipelineTest, EachValidatorsRejectionIsRefundedExactlyOnce) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-taken", 59000));  // makes the next monthly-4 a duplicate
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-taken", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  struct Case {
    const char* id;
    const char* code;
    std::function<void(Object&)> change;
  };
  const std::vector<Case> cases = {
      {"v-amount", "AMOUNT_MISMATCH", [](Object& p) { p.set("amount", 1000); }},
      {"v-card", "NOT_A_CARD_PAYMENT", [](Object& p) { p.set("method", "transfer"); }},
      {"v-status", "CUSTOMER_MISMATCH", [](Object& p) { p.set("customerId", "77"); }},
      {"v-lesson", "DUPLICATE_SUBSCRIPTION", [](Object&) {}},
  };
  for (const Case& c : cases) {
    Object payment = paidCardPayment(c.id, 59000);
    c.change(payment);
    h.createPayment(payment);
    const std::string expected = std::string(R"({"status":"refunded","code":")") + c.code + R"("})";
    for (int delivery = 0; delivery < 4; ++delivery) {  // the first, then three redeliveries
      HttpAnswer answer = h.sendWebhook("Transaction.Paid", c.id, kFirstBilling);
      EXPECT_EQ(answer.status, 200) << c.id;
      EXPECT_EQ(answer.body, expected) << c.id;
    }
    EXPECT_EQ(this->cancels(c.id), 1) << c.id;
    EXPECT_EQ(h.check(c.id).body,
              std::string(R"({"data":{"paymentId":")") + c.id +
                  R"(","status":"failed","paymentType":"FIRST_BILLING","reason":")" + c.code +
                  R"(","refunded":true}})");
  }
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 1);
}

TYPED_TEST(PipelineTest, RefundsBadClaimsInsteadOfLeavingTheCustomerCharged) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-3", 59000));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-3",
                          "user_id=42&subscribe_id=monthly-4&payment_type=GOLD")
                .body,
            R"({"status":"refunded","code":"UNKNOWN_PAYMENT_TYPE"})");
  h.createPayment(paidCardPayment("pay-4", 59000));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-4",
                          "subscribe_id=monthly-4&payment_type=FIRST_BILLING")
                .body,
            R"({"status":"refunded","code":"MISSING_CLAIM"})");
  h.createPayment(paidCardPayment("pay-5", 59000));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-5",
                          "user_id=77&subscribe_id=monthly-4&payment_type=FIRST_BILLING")
                .body,
            R"({"status":"refunded","code":"CUSTOMER_MISMATCH"})");
  h.createPayment(paidCardPayment("pay-6", 59000 * 12));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-6",
                          "user_id=42&subscribe_id=yearly-8&payment_type=LUMP_SUM")
                .body,
            R"({"status":"refunded","code":"PAYMENT_TYPE_DISABLED"})");
  for (const char* id : {"pay-3", "pay-4", "pay-5", "pay-6"}) EXPECT_EQ(this->cancels(id), 1) << id;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
}

TYPED_TEST(PipelineTest, RefundsASecondSubscriptionToTheSamePlan) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-7", 59000));
  h.createPayment(paidCardPayment("pay-8", 59000));
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-7", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-8", kFirstBilling).body,
            R"({"status":"refunded","code":"DUPLICATE_SUBSCRIPTION"})");
  EXPECT_EQ(this->cancels("pay-7"), 0);
  EXPECT_EQ(this->cancels("pay-8"), 1);
}

// A signed webhook's type is PortOne's word only for the types PortOne documents: any other is
// acknowledged and counted as "other", so signed junk cannot grow /metrics.
TYPED_TEST(PipelineTest, CountsAWebhookTypeItDoesNotKnowAsOther) {
  auto& h = this->h();
  for (int i = 0; i < 50; ++i) {
    HttpAnswer answer = h.sendWebhook("Junk.Type" + std::to_string(i), "pay-junk", kFirstBilling);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, R"({"status":"ignored"})");
  }
  const std::string metrics = h.metrics().render();
  EXPECT_NE(metrics.find(R"(paymentd_webhooks_total{outcome="ignored",type="other"} 50)"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("Junk.Type"), std::string::npos);
}

// A signed Transaction.Paid for `payment_id` (a JSON string's content) whose webhook-id stays
// short, so only the body carries the id.
HttpAnswer sendPaidWithShortWebhookId(PipelineHarness& h, const std::string& payment_id) {
  const std::string body =
      R"({"type":"Transaction.Paid","timestamp":"2026-11-24T10:00:00.000Z","data":{"paymentId":")" +
      payment_id + R"(","transactionId":"tx-1"}})";
  const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  const std::string id = "msg-" + std::to_string(std::hash<std::string>{}(payment_id));
  return h.postWebhook(body, kFirstBilling, id, timestamp, h.signatureFor(id, timestamp, body));
}

// An id PortOne could never have issued is a permanent problem of the webhook: 400 with its
// code, PortOne is not asked and nothing is recorded (a 503 would have PortOne redeliver it).
TYPED_TEST(PipelineTest, RefusesAPaymentIdPortOneCouldNotHaveIssuedWith400) {
  auto& h = this->h();
  for (const std::string& id :
       {std::string(20 * 1024, 'p'), std::string(239, 'p'), std::string("pay 1"),
        std::string("pay\\u00e9"), std::string("pay\\\"1"), std::string("pay/1")}) {
    HttpAnswer answer = sendPaidWithShortWebhookId(h, id);
    EXPECT_EQ(answer.status, 400) << id.substr(0, 40);
    EXPECT_EQ(answer.body, R"({"status":"malformed","code":"BAD_PAYMENT_ID"})") << id.substr(0, 40);
  }
  EXPECT_EQ(h.allPortoneRequests(), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events"), 0);

  // The longest id the rule allows is still PortOne's to judge.
  h.createPayment(paidCardPayment(std::string(238, 'p'), 59000));
  EXPECT_EQ(sendPaidWithShortWebhookId(h, std::string(238, 'p')).status, 200);
}

// The check API takes the same rule: such an id is never looked up.
TYPED_TEST(PipelineTest, TheCheckApiRefusesAPaymentIdPortOneCouldNotHaveIssued) {
  auto& h = this->h();
  for (const std::string& id :
       {std::string(239, 'p'), std::string("pay%201"), std::string("pay%C3%A9"),
        std::string("pay%221"), std::string("pay%5C1")}) {
    HttpAnswer answer = h.check(id);
    EXPECT_EQ(answer.status, 400) << id;
    EXPECT_EQ(answer.body, R"({"error":{"code":"BAD_PAYMENT_ID","message":"not a payment id"}})")
        << id;
  }
  EXPECT_EQ(h.check(std::string(238, 'p')).status, 200);
}

TYPED_TEST(PipelineTest, AnswersNotPaidWith409AndCancelledWithoutRefund) {
  auto& h = this->h();
  Object ready = paidCardPayment("pay-9", 59000);
  ready.set("status", "READY");
  h.createPayment(ready);
  HttpAnswer early = h.sendWebhook("Transaction.Paid", "pay-9", kFirstBilling);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.body, R"({"status":"not_paid","code":"PAYMENT_NOT_PAID"})");
  EXPECT_NE(h.check("pay-9").body.find(R"("status":"pending")"), std::string::npos);
  // PortOne catches up (the sandbox's own delivery goes nowhere: no notice URL); the redelivery
  // completes it.
  ASSERT_EQ(httpCall(h.sandboxPort(), "POST", "/_sandbox/payments/pay-9/pay", "{}").status, 200);
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-9", kFirstBilling).body,
            R"({"status":"fulfilled"})");

  Object cancelled = paidCardPayment("pay-10", 59000);
  cancelled.set("status", "CANCELLED");
  h.createPayment(cancelled);
  HttpAnswer answer = h.sendWebhook("Transaction.Paid", "pay-10", kFirstBilling);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"status":"cancelled","code":"CANCELLED_PAYMENT"})");
  EXPECT_EQ(this->cancels("pay-9") + this->cancels("pay-10"), 0);
  EXPECT_EQ(
      h.check("pay-10").body,
      R"({"data":{"paymentId":"pay-10","status":"failed","paymentType":"FIRST_BILLING","reason":"CANCELLED_PAYMENT","refunded":false}})");
}

TYPED_TEST(PipelineTest, RecordsAFailedPaymentWithoutRefund) {
  auto& h = this->h();
  Object failed = paidCardPayment("pay-11", 59000);
  failed.set("status", "FAILED");
  failed.set("failureReason", "[LIMIT] card limit exceeded");
  h.createPayment(failed);
  HttpAnswer answer = h.sendWebhook("Transaction.Failed", "pay-11", kFirstBilling);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"status":"payment_failed","code":"PAYMENT_FAILED"})");
  EXPECT_EQ(this->cancels("pay-11"), 0);
  EXPECT_EQ(h.text("SELECT message FROM payment_failures WHERE payment_id = 'pay-11'"),
            "[LIMIT] card limit exceeded");
}

TYPED_TEST(PipelineTest, RefusesBadSignaturesAndMalformedBodiesBeforeAnyWork) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-12", 59000));
  const std::string body =
      R"({"type":"Transaction.Paid","timestamp":"2026-11-24T10:00:00.000Z","data":{"paymentId":"pay-12","transactionId":"t"}})";
  const std::string now = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  HttpAnswer forged = h.postWebhook(body, kFirstBilling, "msg-1", now,
                                    "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(forged.body, R"({"status":"bad_signature","code":"NO_MATCHING_SIGNATURE"})");
  const std::string stale = std::to_string(std::stoll(now) - 400);
  EXPECT_EQ(h.postWebhook(body, kFirstBilling, "msg-2", stale, h.signatureFor("msg-2", stale, body))
                .status,
            401);
  const std::string junk = "not json";
  HttpAnswer malformed =
      h.postWebhook(junk, kFirstBilling, "msg-3", now, h.signatureFor("msg-3", now, junk));
  EXPECT_EQ(malformed.status, 400);
  const std::string ready =
      R"({"type":"Transaction.Ready","timestamp":"2026-11-24T10:00:00.000Z","data":{"paymentId":"pay-12","transactionId":"t"}})";
  HttpAnswer ignored =
      h.postWebhook(ready, kFirstBilling, "msg-4", now, h.signatureFor("msg-4", now, ready));
  EXPECT_EQ(ignored.status, 200);
  EXPECT_EQ(ignored.body, R"({"status":"ignored"})");

  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events"), 0)
      << "nothing may run before verification";
  EXPECT_EQ(h.portoneRequests("GET", "/payments/pay-12"), 0);
}

TYPED_TEST(PipelineTest, AnswersAlreadyProcessingWhileAnotherWorkerHoldsTheLock) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-13", 59000));
  const lock::AcquireResult held = h.lock().acquire("payment:pay-13", std::chrono::seconds(30));
  ASSERT_EQ(held.status, lock::AcquireStatus::kAcquired);
  HttpAnswer answer = h.sendWebhook("Transaction.Paid", "pay-13", kFirstBilling);
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.body, R"({"status":"already_processing","code":"ALREADY_PROCESSING"})");
  EXPECT_EQ(h.portoneRequests("GET", "/payments/pay-13"), 0);
  h.lock().release(*held.lease);
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-13", kFirstBilling).body,
            R"({"status":"fulfilled"})");
}

TYPED_TEST(PipelineTest, APortOneOutageIs503WithoutRefundAndARedeliveryFinishes) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-14", 59000));
  this->failAlways("GET", "/payments/pay-14", 503);
  HttpAnswer down = h.sendWebhook("Transaction.Paid", "pay-14", kFirstBilling);
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body, R"({"status":"unavailable","code":"PORTONE_UNAVAILABLE"})");
  EXPECT_EQ(this->cancels("pay-14"), 0);
  EXPECT_NE(h.check("pay-14").body.find(R"("status":"pending")"), std::string::npos);
  h.clearFaults();
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-14", kFirstBilling).body,
            R"({"status":"fulfilled"})");
}

// PortOne's API was down through every redelivery: the 503'd webhook's claims
// were kept, and the reconciler fulfils the payment once PortOne answers again.
TYPED_TEST(PipelineTest, TheReconcilerFulfilsAPaymentWhoseWebhooksAllMetAnOutage) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-18", 59000));
  this->failAlways("GET", "/payments/pay-18", 503);
  const std::string claims = kFirstBilling + "&coupon_id=";
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-18", claims).status, 503);
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-18", claims).status, 503);  // a redelivery
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM unsettled_webhooks"), 1);
  EXPECT_EQ(h.text("SELECT user_id || '/' || subscribe_id || '/' || payment_type || '/' || "
                   "answer FROM unsettled_webhooks WHERE payment_id = 'pay-18'"),
            "42/monthly-4/FIRST_BILLING/PORTONE_UNAVAILABLE");

  const Timestamp now = std::chrono::system_clock::now();
  EXPECT_EQ(h.reconcileAt(now + std::chrono::hours(1)), 1u);  // still down: kept for later
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM unsettled_webhooks"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);

  h.clearFaults();
  EXPECT_EQ(h.reconcileAt(now + std::chrono::hours(2)), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'pay-18' AND user_id = '42' AND "
                    "payment_type = 'FIRST_BILLING'"),
            1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions WHERE user_id = '42' AND "
                    "status = 'ACTIVE'"),
            1);
  EXPECT_EQ(this->cancels("pay-18"), 0);
  EXPECT_NE(h.check("pay-18").body.find(R"("status":"completed")"), std::string::npos);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM unsettled_webhooks"), 0);  // settled: forgotten
  EXPECT_EQ(h.reconcileAt(now + std::chrono::hours(3)), 0u);
  // A fulfilled webhook leaves nothing behind for the reconciler.
  // (Another user: first-billing sells monthly plans only.)
  Object another = paidCardPayment("pay-19", 59000);
  another.set("customerId", "43");
  h.createPayment(another);
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-19",
                          "user_id=43&subscribe_id=monthly-4&payment_type=FIRST_BILLING")
                .body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM unsettled_webhooks"), 0);
}

// The webhook raced ahead of the payment (409 PAYMENT_NOT_PAID) and the
// delivery for the real payment was lost: the reconciler still fulfils it.
TYPED_TEST(PipelineTest, TheReconcilerFulfilsAPaymentWhoseWebhookRacedAheadOfIt) {
  auto& h = this->h();
  Object ready = paidCardPayment("pay-20", 59000);
  ready.set("status", "READY");
  h.createPayment(ready);
  const HttpAnswer early = h.sendWebhook("Transaction.Paid", "pay-20", kFirstBilling);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(h.text("SELECT answer FROM unsettled_webhooks WHERE payment_id = 'pay-20'"),
            "PAYMENT_NOT_PAID");
  h.dropNextWebhooks(1);
  ASSERT_EQ(testing::httpCall(h.sandboxPort(), "POST", "/_sandbox/payments/pay-20/pay").status,
            200);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.reconcileAt(std::chrono::system_clock::now() + std::chrono::hours(1)), 1u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'pay-20'"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM unsettled_webhooks"), 0);
}

TYPED_TEST(PipelineTest, AFailedRefundIsRecordedAndFinishedByTheNextDeliveryWithTheSameKey) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-15", 1000));
  this->failAlways("POST", "/payments/pay-15/cancel", 500);
  HttpAnswer first = h.sendWebhook("Transaction.Paid", "pay-15", kFirstBilling);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, R"({"status":"refund_failed","code":"AMOUNT_MISMATCH"})");
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-15'"), "FAILED");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'notice:REFUND_FAILED:pay-15'"),
            1);

  h.clearFaults();
  HttpAnswer second = h.sendWebhook("Transaction.Paid", "pay-15", kFirstBilling);
  EXPECT_EQ(second.body, R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-15'"), "DONE");
  const auto keys = h.idempotencyKeys("POST", "/payments/pay-15/cancel");
  ASSERT_GE(keys.size(), 2u);  // the failed attempt(s), then the one that went through
  for (const auto& key : keys) EXPECT_EQ(key, "paymentd-refund-pay-15");
}

// PortOne gave up redelivering while the refund kept failing: the reconciler
// finishes it, with the same key, once the refund has been left alone for the grace.
TYPED_TEST(PipelineTest, TheReconcilerFinishesARefundNoDeliveryFinished) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-16", 1000));
  this->failAlways("POST", "/payments/pay-16/cancel", 500);
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-16", kFirstBilling).body,
            R"({"status":"refund_failed","code":"AMOUNT_MISMATCH"})");
  const int failed_cancels = this->cancels("pay-16");
  h.clearFaults();

  const Timestamp now = std::chrono::system_clock::now();
  EXPECT_EQ(h.reconcileAt(now, std::chrono::seconds(900)), 0u);  // within the grace: not yet
  EXPECT_EQ(this->cancels("pay-16"), failed_cancels);
  EXPECT_EQ(h.reconcileAt(now + std::chrono::hours(1)), 1u);
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-16'"), "DONE");
  EXPECT_EQ(h.text("SELECT code FROM payment_failures WHERE payment_id = 'pay-16'"),
            "AMOUNT_MISMATCH");
  EXPECT_EQ(this->cancels("pay-16"), failed_cancels + 1);
  for (const auto& key : h.idempotencyKeys("POST", "/payments/pay-16/cancel")) {
    EXPECT_EQ(key, "paymentd-refund-pay-16");
  }
  EXPECT_EQ(h.check("pay-16").body,
            R"({"data":{"paymentId":"pay-16","status":"failed","paymentType":"FIRST_BILLING",)"
            R"("reason":"AMOUNT_MISMATCH","refunded":true}})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = 'pay-16' AND "
                    "stage = 'reconcile' AND detail LIKE 'unfinished_refund%'"),
            1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = "
                    "'notice:PAYMENT_REFUNDED:pay-16'"),
            1);  // the admin hears that the money went back after all
  EXPECT_EQ(h.reconcileAt(now + std::chrono::hours(2)), 0u);  // nothing left to finish
  EXPECT_EQ(this->cancels("pay-16"), failed_cancels + 1);
}

// An operator cancelled the payment in PortOne's console while our refund was
// failing: the money is back, so the refund is done without another cancel.
TYPED_TEST(PipelineTest, AnUnfinishedRefundOfAPaymentCancelledMeanwhileIsMarkedDone) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-17", 1000));
  this->failAlways("POST", "/payments/pay-17/cancel", 500);
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-17", kFirstBilling).body,
            R"({"status":"refund_failed","code":"AMOUNT_MISMATCH"})");
  h.clearFaults();
  Object cancelled = paidCardPayment("pay-17", 1000);
  cancelled.set("status", "CANCELLED");
  cancelled.set("cancelledAmount", 1000);
  h.createPayment(cancelled);
  const int cancels_before = this->cancels("pay-17");
  EXPECT_EQ(h.reconcileAt(std::chrono::system_clock::now() + std::chrono::hours(1)), 1u);
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-17'"), "DONE");
  EXPECT_EQ(this->cancels("pay-17"), cancels_before);
  // The admin, told the refund failed, hears that the money is back.
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = "
                    "'notice:PAYMENT_REFUNDED:pay-17'"),
            1);
}

// Issue 20 defect 2: a daemon that died between PortOne's cancel and recording
// it leaves the refund INTENDED; whoever finishes it by finding PortOne's
// CANCELLED (a redelivery, the reconciler) also sends the refund's admin notice.
TYPED_TEST(PipelineTest, ARefundFinishedByFindingPortOneCancelledTellsTheAdmin) {
  auto& h = this->h();
  Object cancelled = paidCardPayment("pay-18", 1000);
  cancelled.set("status", "CANCELLED");
  cancelled.set("cancelledAmount", 1000);
  h.createPayment(cancelled);
  testing::execute(h.database(),
                   "INSERT INTO payment_failures (payment_id, payment_type, code, message, refund, "
                   "created_at_us, updated_at_us) VALUES ('pay-18', 'FIRST_BILLING', "
                   "'AMOUNT_MISMATCH', 'amount differs', 'INTENDED', 0, 0)");
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-18", kFirstBilling).body,
            R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-18'"), "DONE");
  EXPECT_EQ(this->cancels("pay-18"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = "
                    "'notice:PAYMENT_REFUNDED:pay-18'"),
            1);
  // A redelivery after that finds the refund done and tells no one twice.
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-18", kFirstBilling).body,
            R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify'"), 1);
}

// Issue 20 defect 8: PortOne's channel.type was parsed and never checked, so a
// payment on the test channel fulfilled a live subscription. With
// portone.require_live (on in the packaged config), test money is refunded.
TYPED_TEST(PipelineTest, ATestChannelPaymentIsRefundedWhereOnlyLivePaymentsCount) {
  this->harness_.reset();  // one harness at a time: this one only accepts live payments
  testing::HarnessOptions options;
  options.lock_url = TypeParam::lockUrl().value_or("local");
  options.require_live = true;
  testing::PipelineHarness h(TypeParam::kBackend, options);
  h.createPayment(paidCardPayment("pay-30", 59000));  // the sandbox's default channel: TEST
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-30", kFirstBilling).body,
            R"({"status":"refunded","code":"TEST_CHANNEL_PAYMENT"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-30/cancel"), 1);

  Object live = paidCardPayment("pay-31", 59000);
  live.set("channel", "LIVE");
  h.createPayment(live);
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-31", kFirstBilling).body,
            R"({"status":"fulfilled"})");
}

TYPED_TEST(PipelineTest, RacingDeliveriesFulfilExactlyOnce) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-16", 59000));
  std::vector<std::future<HttpAnswer>> answers;
  for (int i = 0; i < 6; ++i) {
    answers.push_back(std::async(std::launch::async, [&h] {
      return h.sendWebhook("Transaction.Paid", "pay-16", kFirstBilling);
    }));
  }
  int fulfilled = 0;
  for (auto& answer : answers) {
    const HttpAnswer a = answer.get();
    if (a.body == R"({"status":"fulfilled"})") ++fulfilled;
    EXPECT_TRUE(a.status == 200 || a.status == 409) << a.status << " " << a.body;
  }
  EXPECT_EQ(fulfilled, 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'pay-16'"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(this->cancels("pay-16"), 0);
}

TYPED_TEST(PipelineTest, AProcessorThatFailsAfterWritingLeavesNothingAndIsRefundedOnce) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-18", 59000));
  const std::string query = "user_id=42&subscribe_id=monthly-4&payment_type=BROKEN";
  HttpAnswer answer = h.sendWebhook("Transaction.Paid", "pay-18", query);
  EXPECT_EQ(answer.body, R"({"status":"refunded","code":"PROCESSOR_BROKE"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'ghost:pay-18'"), 0)
      << "a ghost notice";
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.text("SELECT refund FROM payment_failures WHERE payment_id = 'pay-18'"), "DONE");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = 'pay-18' AND "
                    "stage = 'processor:write-then-fail@1.0.0' AND result = 'rejected'"),
            1);
  for (int i = 0; i < 3; ++i) h.sendWebhook("Transaction.Paid", "pay-18", query);
  EXPECT_EQ(this->cancels("pay-18"), 1);
}

TYPED_TEST(PipelineTest, RefusesAnOversizeBodyBeforeAnyWork) {
  auto& h = this->h();
  h.createPayment(paidCardPayment("pay-19", 59000));
  // Only the head is sent: the answer must come from Content-Length alone,
  // before a byte of the body is read (and a client still sending is not reset).
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.port()));
  const std::string head = "POST /api/v1/payment/webhook?" + kFirstBilling +
                           " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "webhook-id: msg-big\r\nContent-Length: 71680\r\n\r\n";
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  std::string response;
  char buffer[1024];
  for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) {
    response.append(buffer, static_cast<std::size_t>(n));
  }
  EXPECT_EQ(response.rfind("HTTP/1.1 413 ", 0), 0u) << response;  // the reason phrase is free text
  EXPECT_EQ(h.portoneRequests("GET", "/payments/pay-19"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events"), 0);
}

TYPED_TEST(PipelineTest, TheSandboxsOwnSignedWebhookIsFulfilled) {
  auto& h = this->h();
  Object payment = paidCardPayment("pay-17", 59000);
  payment.set("status", "READY");
  payment.set("noticeUrl", h.webhookUrl(kFirstBilling));
  h.createPayment(payment);
  ASSERT_EQ(httpCall(h.sandboxPort(), "POST", "/_sandbox/payments/pay-17/pay", "{}").status, 200);
  std::string body;
  for (int i = 0; i < 100; ++i) {  // the browser's poll, faster
    body = h.check("pay-17").body;
    if (body.find(R"("status":"pending")") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(
      body,
      R"({"data":{"paymentId":"pay-17","status":"completed","paymentType":"FIRST_BILLING","reason":null,"refunded":false}})");
}

}  // namespace
}  // namespace paymentd::pipeline
