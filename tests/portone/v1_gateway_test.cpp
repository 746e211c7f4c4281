// The V1 gateway: the payment core's port answered through PortOne's V1 API, against
// the sandbox's V1.
#include "portone/v1_gateway.h"

#include <gtest/gtest.h>

#include "clock/manual_clock.h"
#include "portone/v1_json.h"
#include "sandbox_control.h"

namespace paymentd::portone {
namespace {

using std::chrono::milliseconds;
using testing::SandboxControl;

V1ClientOptions v1Options(const std::string& sandbox_base) {
  V1ClientOptions options;
  options.transport.api_base = sandbox_base + "/v1";
  options.transport.connect_timeout = milliseconds(500);
  options.transport.request_deadline = milliseconds(1000);
  options.transport.first_backoff = milliseconds(100);
  options.imp_key = "sandbox-imp-key";
  options.imp_secret = "sandbox-imp-secret";
  return options;
}

class V1GatewayTest : public ::testing::Test {
 protected:
  void addPayment(const std::string& json) {
    const auto answer = sandbox_.post("/_sandbox/v1/payments", json);
    ASSERT_EQ(answer.status, 201) << answer.body;
  }

  SandboxControl sandbox_;
  ManualClock clock_{Clock::TimePoint(std::chrono::seconds(1714039200))};
  V1Client client_{v1Options(sandbox_.baseUrl()), clock_};
  V1Gateway gateway_{client_};
};

TEST_F(V1GatewayTest, APaidPaymentIsFoundByItsImpUidUnderItsMerchantUid) {
  addPayment(R"({"imp_uid":"imp_7","merchant_uid":"renewal-sub9-3","amount":29000,
                 "customer_uid":"cuid-42"})");
  const core::PaymentLookup lookup = gateway_.lookUp("imp_7");
  EXPECT_EQ(lookup.status, core::LookupStatus::kFound) << lookup.detail;
  EXPECT_EQ(lookup.payment.id, "renewal-sub9-3");
  EXPECT_EQ(lookup.payment.transaction_id, "imp_7");
  EXPECT_EQ(lookup.payment.status, PaymentStatus::kPaid);
  EXPECT_EQ(lookup.payment.amount.paid, 29000);
  EXPECT_EQ(lookup.payment.billing_key, "cuid-42");
}

TEST_F(V1GatewayTest, AnUnknownPaymentIsNotFoundAsWithV2) {
  const core::PaymentLookup lookup = gateway_.lookUp("imp_none");
  EXPECT_EQ(lookup.status, core::LookupStatus::kNotFound);
  EXPECT_EQ(lookup.error_type, "PAYMENT_NOT_FOUND");
}

TEST_F(V1GatewayTest, AnUnreadableAmountOrAnOutageIsUnavailable) {
  addPayment(R"({"imp_uid":"imp_half","merchant_uid":"m-half","amount":1000.5})");
  EXPECT_EQ(gateway_.lookUp("imp_half").status, core::LookupStatus::kUnavailable);
  sandbox_.stop();
  const core::PaymentLookup lookup = gateway_.lookUp("imp_half");
  EXPECT_EQ(lookup.status, core::LookupStatus::kUnavailable);
  EXPECT_FALSE(lookup.detail.empty());
}

TEST_F(V1GatewayTest, ARepeatedRefundCancelsOnceAndFindsTheMoneyBack) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1","amount":10000})");
  const core::RefundRequest request{"renewal-1", "PLAN_MISMATCH", 10000,
                                    "refund-renewal-1-0000000001"};
  const core::RefundAnswer first = gateway_.refund(request);
  EXPECT_TRUE(first.refunded) << first.detail;
  EXPECT_FALSE(first.transient);
  EXPECT_TRUE(first.error_type.empty());
  EXPECT_EQ(client_.getPayment("imp_1").status, PaymentStatus::kCancelled);

  // A redelivery refunds again: PortOne refuses, and the payment shows the money back.
  const core::RefundAnswer again = gateway_.refund(request);
  EXPECT_TRUE(again.refunded) << again.detail;
  EXPECT_FALSE(again.transient);
  EXPECT_EQ(again.error_type, kV1Refused);
  EXPECT_EQ(client_.getPayment("imp_1").amount.cancelled, 10000);  // not twice
  EXPECT_EQ(sandbox_.requests("GET", "/v1/payments/find/renewal-1")->size(), 1u);
}

TEST_F(V1GatewayTest, AStaleCancellableAmountRefundsNothing) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1","amount":10000,
                 "cancel_amount":4000})");
  const core::RefundAnswer answer =
      gateway_.refund({"renewal-1", "PLAN_MISMATCH", 10000, "refund-renewal-1-0000000001"});
  EXPECT_FALSE(answer.refunded);
  EXPECT_FALSE(answer.transient);
  EXPECT_EQ(answer.error_type, kV1Refused);
  EXPECT_NE(answer.detail.find("checksum"), std::string::npos) << answer.detail;
  EXPECT_EQ(client_.getPayment("imp_1").amount.cancelled, 4000);
}

TEST_F(V1GatewayTest, APartialRefundSendsItsAmountWithTheChecksum) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1","amount":10000})");
  const core::RefundAnswer answer =
      gateway_.refund({"renewal-1", "operator refund", 10000, "refund-renewal-1-partial01", 4000});
  EXPECT_TRUE(answer.refunded) << answer.detail;
  const auto payment = client_.getPayment("imp_1");
  EXPECT_EQ(payment.status, PaymentStatus::kPartialCancelled);
  EXPECT_EQ(payment.amount.cancelled, 4000);
}

TEST_F(V1GatewayTest, ARefundPortOneCannotBeAskedForIsTransient) {
  sandbox_.stop();
  const core::RefundAnswer answer =
      gateway_.refund({"renewal-1", "PLAN_MISMATCH", 10000, "refund-renewal-1-0000000001"});
  EXPECT_FALSE(answer.refunded);
  EXPECT_TRUE(answer.transient);
}

TEST_F(V1GatewayTest, BillingKeysAreNotLookedUpThroughV1Yet) {
  const core::BillingKeyLookup lookup = gateway_.lookUpBillingKey("cuid-42");
  EXPECT_EQ(lookup.status, core::LookupStatus::kRefused);
  EXPECT_EQ(lookup.error_type, kV1BillingKeyLookUpMissing);
  EXPECT_EQ(sandbox_.requests("POST", "/v1/users/getToken")->size(), 0u);
}

}  // namespace
}  // namespace paymentd::portone
