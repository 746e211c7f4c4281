// The payment sweep (issue 17 item 2): a payment PortOne shows PAID that no webhook
// ever brought is found in PortOne's list, its webhook is resent and settled as any
// webhook; one paymentd has is left alone; one PortOne will not resend is left to an
// operator, once, and listed by `paymentd reconcile report`. On SQLite with the
// in-process lock and on PostgreSQL with Redis, against the real sandbox.
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include "deployments.h"
#include "pipeline_harness.h"
#include "storage/sweep_cursor.h"

namespace paymentd::pipeline {
namespace {

using testing::HarnessOptions;
using testing::paidPayment;
using testing::PipelineHarness;

const std::string kFirstBilling = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";

Poco::JSON::Object::Ptr json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

template <typename Deployment>
class PaymentSweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Deployment::kBackend);
    HarnessOptions options;
    options.every_processor = true;
    const auto lock = Deployment::lockUrl();
    if (!lock) GTEST_SKIP() << "no Redis for this deployment";
    options.lock_url = *lock;
    harness_ = std::make_unique<PipelineHarness>(Deployment::kBackend, options);
    options_.settle = std::chrono::seconds(60);
    options_.max_resends = 2;
  }

  PipelineHarness& h() { return *harness_; }

  // A first billing PortOne shows PAID, with its webhook URL, and no webhook sent.
  void paidWithoutWebhook(const std::string& id) {
    auto payment = paidPayment(id, 59000, "card-" + id, std::string("01012345678"));
    payment.set("noticeUrl", h().webhookUrl(kFirstBilling));
    h().createPayment(payment);
  }
  void control(const std::string& path, const std::string& body) {
    ASSERT_EQ(testing::httpCall(h().sandboxPort(), "POST", path, body).status, 200) << path;
  }
  // Settled enough to be swept, and each later pass after the wait between resends.
  Timestamp pass(int n) {
    if (!start_) start_ = h().sandboxNow() + std::chrono::minutes(2);
    return *start_ + n * (options_.settle + std::chrono::seconds(1));
  }
  std::int64_t count(const std::string& sql) { return h().count(sql); }
  std::string state(const std::string& id) {
    return h().text("SELECT state FROM swept_payments WHERE payment_id = '" + id + "'");
  }
  int resendsAsked(const std::string& id) {
    return h().portoneRequests("POST", "/payments/" + id + "/resend-webhook");
  }
  std::int64_t notices(const std::string& id) {
    return count(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND dedupe_key = "
        "'notice:PAYMENT_UNRESOLVED:" +
        id + "'");
  }
  // The page numbers of the GET /payments PortOne was asked for, in order.
  std::vector<int> pagesAsked() {
    std::vector<int> pages;
    Poco::JSON::Array::Ptr log =
        json(h().portoneRequestLog("GET", "/payments"))->getArray("requests");
    for (std::size_t i = 0; i < log->size(); ++i) {
      const std::string query =
          log->getObject(static_cast<unsigned>(i))->getValue<std::string>("query");
      std::string body;
      Poco::URI::decode(query.substr(std::string("requestBody=").size()), body);
      pages.push_back(json(body)->getObject("page")->getValue<int>("number"));
    }
    return pages;
  }

  SweepOptions options_;
  std::optional<Timestamp> start_;
  std::unique_ptr<PipelineHarness> harness_;
};

TYPED_TEST_SUITE(PaymentSweepTest, testing::Deployments, testing::BackendNames);

TYPED_TEST(PaymentSweepTest, APaidPaymentNoWebhookBroughtIsResentAndFulfilled) {
  this->paidWithoutWebhook("pay-lost");
  const SweepPass first = this->h().sweepAt(this->pass(0), this->options_);
  EXPECT_TRUE(first.swept);
  EXPECT_EQ(first.found, 1u);
  EXPECT_EQ(first.resent, 1u);
  EXPECT_EQ(this->resendsAsked("pay-lost"), 1);
  // The resent webhook arrives with its URL's claims and is settled as any webhook.
  ASSERT_TRUE(this->h().waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'pay-lost'", 1));
  EXPECT_EQ(this->count("SELECT COUNT(*) FROM subscriptions WHERE user_id = '42' AND plan_id = "
                        "'monthly-4' AND status = 'ACTIVE'"),
            1);
  EXPECT_EQ(this->count("SELECT COUNT(*) FROM tickets WHERE payment_id = 'pay-lost'"), 1);
  EXPECT_EQ(this->count("SELECT amount FROM payments WHERE id = 'pay-lost'"), 59000);

  const SweepPass second = this->h().sweepAt(this->pass(1), this->options_);
  EXPECT_EQ(second.resolved, 1u);
  EXPECT_EQ(second.resent, 0u);
  EXPECT_EQ(this->state("pay-lost"), "RESOLVED");
  EXPECT_EQ(this->resendsAsked("pay-lost"), 1);
  EXPECT_EQ(this->notices("pay-lost"), 0);
  EXPECT_NE(
      this->h().metrics().render().find(R"(paymentd_payment_sweep_total{outcome="resent"} 1)"),
      std::string::npos);
}

TYPED_TEST(PaymentSweepTest, TheDaemonsReconcilerSweepsOnItsConfiguredOptions) {
  this->paidWithoutWebhook("pay-wired");
  // reconcile.grace_s (900 s by default) is the settle delay: not swept before it passed.
  const Timestamp paid = this->h().sandboxNow();
  this->h().reconcileWithSweepAt(paid + std::chrono::minutes(10));
  EXPECT_EQ(this->h().portoneRequests("GET", "/payments"), 1);
  EXPECT_EQ(this->resendsAsked("pay-wired"), 0);
  this->h().reconcileWithSweepAt(paid + std::chrono::minutes(16));
  EXPECT_EQ(this->resendsAsked("pay-wired"), 1);
  ASSERT_TRUE(this->h().waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'pay-wired'", 1));
}

TYPED_TEST(PaymentSweepTest, APaymentPaymentdHasIsNotResent) {
  this->paidWithoutWebhook("pay-known");
  ASSERT_EQ(this->h().sendWebhook("Transaction.Paid", "pay-known", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  const SweepPass pass = this->h().sweepAt(this->pass(0), this->options_);
  EXPECT_EQ(pass.listed, 1u);
  EXPECT_EQ(pass.found, 0u);
  EXPECT_EQ(this->h().portoneRequests("GET", "/payments"), 1);
  EXPECT_EQ(this->resendsAsked("pay-known"), 0);
  EXPECT_EQ(this->count("SELECT COUNT(*) FROM swept_payments"), 0);
}

TYPED_TEST(PaymentSweepTest, ResendsThatNeverArriveAreLeftToAnOperatorOnce) {
  this->paidWithoutWebhook("pay-void");
  this->control("/_sandbox/webhooks/unreachable", R"({"paymentId":"pay-void"})");
  EXPECT_EQ(this->h().sweepAt(this->pass(0), this->options_).resent, 1u);
  EXPECT_EQ(this->h().sweepAt(this->pass(1), this->options_).resent, 1u);
  const SweepPass third = this->h().sweepAt(this->pass(2), this->options_);
  EXPECT_EQ(third.resent, 0u);
  EXPECT_EQ(third.unresolved, 1u);
  EXPECT_EQ(this->resendsAsked("pay-void"), 2);  // max_resends
  EXPECT_EQ(this->state("pay-void"), "UNRESOLVED");
  EXPECT_EQ(this->notices("pay-void"), 1);
  this->h().sweepAt(this->pass(3), this->options_);
  EXPECT_EQ(this->resendsAsked("pay-void"), 2);
  EXPECT_EQ(this->notices("pay-void"), 1);
  // Nothing was refunded blindly.
  EXPECT_EQ(this->h().portoneRequests("POST", "/payments/pay-void/cancel"), 0);
}

TYPED_TEST(PaymentSweepTest, PortOnesResendLimitMakesItUnresolvedUntilItsWebhookArrives) {
  this->paidWithoutWebhook("pay-limit");
  this->control("/_sandbox/webhooks/unreachable", R"({"paymentId":"pay-limit"})");
  this->control("/_sandbox/resend-limit", R"({"limit":1})");
  EXPECT_EQ(this->h().sweepAt(this->pass(0), this->options_).resent, 1u);
  const SweepPass refused = this->h().sweepAt(this->pass(1), this->options_);
  EXPECT_EQ(refused.unresolved, 1u);
  EXPECT_EQ(this->resendsAsked("pay-limit"), 2);  // the second was refused
  EXPECT_EQ(this->state("pay-limit"), "UNRESOLVED");
  EXPECT_EQ(this->notices("pay-limit"), 1);
  this->h().sweepAt(this->pass(2), this->options_);
  EXPECT_EQ(this->resendsAsked("pay-limit"), 2);
  EXPECT_EQ(this->notices("pay-limit"), 1);
  EXPECT_EQ(this->h().portoneRequests("POST", "/payments/pay-limit/cancel"), 0);

  const testing::ProcessResult report = this->h().cli({"reconcile", "report", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const Poco::JSON::Array::Ptr listed = json(report.out)->getObject("data")->getArray("unresolved");
  ASSERT_EQ(listed->size(), 1u) << report.out;
  const Poco::JSON::Object::Ptr item = listed->getObject(0);
  EXPECT_EQ(item->getValue<std::string>("paymentId"), "pay-limit");
  EXPECT_EQ(item->getValue<int>("resends"), 1);
  EXPECT_NE(item->getValue<std::string>("detail").find("MAX_WEBHOOK_RETRY_COUNT_REACHED"),
            std::string::npos);
  EXPECT_TRUE(item->has("firstSeen"));
  const testing::ProcessResult text = this->h().cli({"reconcile", "report"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("pay-limit"), std::string::npos);

  // A later webhook (an operator asked PortOne's console) settles it: the report omits it.
  ASSERT_EQ(this->h().sendWebhook("Transaction.Paid", "pay-limit", kFirstBilling).body,
            R"({"status":"fulfilled"})");
  const testing::ProcessResult after = this->h().cli({"reconcile", "report", "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(json(after.out)->getObject("data")->getArray("unresolved")->size(), 0u);
  EXPECT_EQ(this->h().sweepAt(this->pass(3), this->options_).resolved, 1u);
  EXPECT_EQ(this->state("pay-limit"), "RESOLVED");
}

TYPED_TEST(PaymentSweepTest, PagesBeyondOnePassAreCoveredByTheNextWhicheverDaemonRunsIt) {
  for (int i = 1; i <= 7; ++i) {
    auto payment = paidPayment("pay-page-" + std::to_string(i), 59000, std::nullopt);
    payment.set("noticeUrl", "http://127.0.0.1:9/nobody");  // resends go nowhere
    this->h().createPayment(payment);
  }
  this->options_.page_size = 2;
  this->options_.max_per_pass = 2;
  auto other = this->h().openDatabase();  // a second daemon on the same database
  const auto at = this->pass(0);
  EXPECT_EQ(this->h().sweepAt(at, this->options_, nullptr, "daemon-a").found, 2u);
  EXPECT_EQ(this->count("SELECT COUNT(*) FROM swept_payments"), 2);
  EXPECT_EQ(this->h().sweepAt(at, this->options_, other.get(), "daemon-b").found, 2u);
  EXPECT_EQ(this->count("SELECT COUNT(*) FROM swept_payments"), 4);
  EXPECT_EQ(this->h().sweepAt(at, this->options_, nullptr, "daemon-a").found, 2u);
  EXPECT_EQ(this->h().sweepAt(at, this->options_, other.get(), "daemon-b").found, 1u);
  EXPECT_EQ(this->count("SELECT COUNT(*) FROM swept_payments"), 7);
  EXPECT_EQ(this->pagesAsked(), (std::vector<int>{0, 1, 2, 3}));
  // The window is done: the next starts where it ended (less the overlap) and finds none.
  const SweepPass next = this->h().sweepAt(at + std::chrono::minutes(1), this->options_);
  EXPECT_EQ(next.found, 0u);
  EXPECT_EQ(this->count("SELECT COUNT(*) FROM swept_payments"), 7);

  // While another daemon holds the cursor, a pass sweeps nothing.
  ASSERT_TRUE(storage::claimSweepCursor(*other, "daemon-b", at, at + std::chrono::minutes(10)));
  const auto asked = this->h().portoneRequests("GET", "/payments");
  EXPECT_FALSE(this->h().sweepAt(at, this->options_, nullptr, "daemon-a").swept);
  EXPECT_EQ(this->h().portoneRequests("GET", "/payments"), asked);
}

}  // namespace
}  // namespace paymentd::pipeline
