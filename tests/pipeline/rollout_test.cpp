// Canaries of every plugin kind through real webhooks: the listed user and a
// stable share of the others get the canary, everyone else the primary, and
// the trace names the version that ran (docs/operations.md, Rolling out a plugin).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "deployments.h"
#include "loader/plugin_set.h"
#include "pipeline_harness.h"

namespace paymentd::pipeline {
namespace {

using testing::HarnessOptions;
using testing::PipelineHarness;

constexpr int kPercent = 10;
const std::string kListedUser = "7";

config::PluginEntry pluginEntry(const std::string& plugin,
                                std::map<std::string, std::string> config = {}) {
  config::PluginEntry entry;
  entry.plugin = plugin;
  entry.config = std::move(config);
  entry.mark = config::SourceMark{"test.yaml", 1, 1};
  return entry;
}

config::CanaryEntry canary(const std::string& plugin,
                           std::map<std::string, std::string> config = {}) {
  return config::CanaryEntry{pluginEntry(plugin, std::move(config)), kPercent, {kListedUser}};
}

// The first user id "user-N" whose stable bucket is (or is not) in the share.
std::string userWhoseBucketIs(bool under_percent) {
  for (int n = 0;; ++n) {
    const std::string id = "user-" + std::to_string(n);
    if ((loader::rolloutBucket(id) < kPercent) == under_percent) return id;
  }
}

Poco::JSON::Object paidPaymentOf(const std::string& id, const std::string& user,
                                 std::int64_t amount) {
  Poco::JSON::Object payment = testing::paidPayment(id, amount, "billing-key-" + id);
  payment.set("customerId", user);
  return payment;
}

std::string firstBillingOf(const std::string& user) {
  return "user_id=" + user + "&subscribe_id=monthly-4&payment_type=FIRST_BILLING";
}

template <typename Deployment>
class RolloutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Deployment::kBackend);
    lock_url_ = Deployment::lockUrl();
    if (!lock_url_) {
      if (testing::serversRequired()) FAIL() << "PAYMENTD_TEST_REDIS is not set";
      GTEST_SKIP() << "PAYMENTD_TEST_REDIS is not set";
    }
  }

  PipelineHarness& start(HarnessOptions options) {
    options.lock_url = *lock_url_;
    harness_ = std::make_unique<PipelineHarness>(Deployment::kBackend, std::move(options));
    return *harness_;
  }

  // Sends a paid webhook of `user`'s payment; returns its trace.
  std::string pay(const std::string& id, const std::string& user, std::int64_t amount,
                  const std::string& expected_answer) {
    harness_->createPayment(paidPaymentOf(id, user, amount));
    const testing::HttpAnswer answer =
        harness_->sendWebhook("Transaction.Paid", id, firstBillingOf(user));
    EXPECT_EQ(answer.status, 200) << id;
    EXPECT_EQ(answer.body, expected_answer) << id;
    return harness_->trace(id).out;
  }

  std::optional<std::string> lock_url_;
  std::unique_ptr<PipelineHarness> harness_;
};

TYPED_TEST_SUITE(RolloutTest, testing::Deployments, testing::BackendNames);

TYPED_TEST(RolloutTest, AValidatorsCanaryReplacesItForTheListedUserAndTheShare) {
  HarnessOptions options;
  // The canary refuses any total above 1000 KRW, where payment-status would pass it.
  options.validator_canaries.emplace("payment-status",
                                     canary("good-validator@2.0.0", {{"limit", "1000"}}));
  auto& h = this->start(options);
  const std::string rejected = R"({"status":"refunded","code":"AMOUNT_OVER_LIMIT"})";

  for (const auto& [id, user] :
       {std::pair{"pay-listed", kListedUser}, std::pair{"pay-share", userWhoseBucketIs(true)}}) {
    const std::string trace = this->pay(id, user, 59000, rejected);
    EXPECT_NE(trace.find("validator:good-validator@2.0.0"), std::string::npos) << trace;
    EXPECT_EQ(trace.find("validator:payment-status@"), std::string::npos) << trace;
    EXPECT_EQ(h.portoneRequests("POST", std::string("/payments/") + id + "/cancel"), 1);
  }
  const std::string trace =
      this->pay("pay-other", userWhoseBucketIs(false), 59000, R"({"status":"fulfilled"})");
  EXPECT_NE(trace.find("validator:payment-status@1.0.0"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("good-validator"), std::string::npos) << trace;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 1);
}

TYPED_TEST(RolloutTest, AProcessorsCanaryRunsForTheListedUserAndTheShare) {
  HarnessOptions options;
  // The canary accepts the payment and writes nothing: no subscription, no tickets.
  options.first_billing_canary = canary("good-processor@2.0.0");
  auto& h = this->start(options);

  const std::string share_user = userWhoseBucketIs(true);
  for (const auto& [id, user] :
       {std::pair{"pay-listed", kListedUser}, std::pair{"pay-share", share_user}}) {
    const std::string trace = this->pay(id, user, 59000, R"({"status":"fulfilled"})");
    EXPECT_NE(trace.find("processor:good-processor@2.0.0"), std::string::npos) << trace;
    EXPECT_EQ(trace.find("processor:first-billing@"), std::string::npos) << trace;
  }
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM tickets"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 2);

  const std::string other = userWhoseBucketIs(false);
  const std::string trace = this->pay("pay-other", other, 59000, R"({"status":"fulfilled"})");
  EXPECT_NE(trace.find("processor:first-billing@1.2.0"), std::string::npos) << trace;
  EXPECT_EQ(trace.find("good-processor"), std::string::npos) << trace;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions WHERE user_id = '" + other + "'"), 1);
}

TYPED_TEST(RolloutTest, ANotifiersCanarySendsTheNoticesOfTheListedUserAndTheShare) {
  HarnessOptions options;
  options.notifiers.emplace(
      "admin_slack", config::RolloutEntry{pluginEntry("log"), true, canary("good-notifier@2.0.0")});
  auto& h = this->start(options);
  const std::string refunded = R"({"status":"refunded","code":"AMOUNT_MISMATCH"})";

  // A wrong amount is refunded, and the admin channel is told: of the payer's notice.
  this->pay("pay-listed", kListedUser, 50000, refunded);
  this->pay("pay-share", userWhoseBucketIs(true), 50000, refunded);
  this->pay("pay-other", userWhoseBucketIs(false), 50000, refunded);
  EXPECT_EQ(h.drainOutbox(), 3u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND status = 'DONE'"), 3);

  for (const char* id : {"pay-listed", "pay-share"}) {
    const std::string trace = h.trace(id).out;
    EXPECT_NE(trace.find("notice:PAYMENT_REFUNDED:" + std::string(id) +
                         " attempt 1: good-notifier@2.0.0 PAYMENT_REFUNDED"),
              std::string::npos)
        << trace;
    EXPECT_EQ(trace.find("log@1.2.0"), std::string::npos) << trace;
  }
  const std::string trace = h.trace("pay-other").out;
  EXPECT_NE(trace.find("notice:PAYMENT_REFUNDED:pay-other attempt 1: log@1.2.0 PAYMENT_REFUNDED"),
            std::string::npos)
      << trace;
  EXPECT_EQ(trace.find("good-notifier"), std::string::npos) << trace;
}

TYPED_TEST(RolloutTest, ADisabledValidatorDoesNotRun) {
  HarnessOptions options;
  options.disabled_validators = {"amount"};
  auto& h = this->start(options);
  const std::string trace = this->pay("pay-1", kListedUser, 59000, R"({"status":"fulfilled"})");
  EXPECT_EQ(trace.find("validator:amount@"), std::string::npos) << trace;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = 'pay-1' AND stage LIKE "
                    "'validator:%'"),
            4);
}

TYPED_TEST(RolloutTest, ADisabledChannelDropsItsNoticesUnsent) {
  HarnessOptions options;
  options.notifiers.emplace("admin_slack", config::RolloutEntry{pluginEntry("log"), false, {}});
  auto& h = this->start(options);
  this->pay("pay-wrong", kListedUser, 50000, R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  EXPECT_EQ(h.drainOutbox(), 1u);
  const std::string trace = h.trace("pay-wrong").out;
  EXPECT_NE(trace.find("notice:PAYMENT_REFUNDED:pay-wrong attempt 1: channel admin_slack is "
                       "disabled"),
            std::string::npos)
      << trace;
  EXPECT_EQ(trace.find("log@1.2.0"), std::string::npos) << trace;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND status = 'DONE'"), 1);
}

}  // namespace
}  // namespace paymentd::pipeline
