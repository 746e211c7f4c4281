// The V2 gateway (billing-key lookups, partial refunds) against a real
// (in-process) PortOne sandbox.
#include "portone/v2_gateway.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "clock/manual_clock.h"
#include "portone/api_error.h"
#include "sandbox_control.h"

namespace paymentd::portone {
namespace {

using std::chrono::milliseconds;
using testing::SandboxControl;

PortOneClientOptions clientOptions(const std::string& api_base, const std::string& store_id) {
  PortOneClientOptions options;
  options.store_id = store_id;
  options.transport.api_base = api_base;
  options.transport.api_secret = "sandbox-api-secret";
  options.transport.connect_timeout = milliseconds(500);
  options.transport.read_timeout = milliseconds(5000);
  options.transport.request_deadline = milliseconds(1000);
  options.transport.first_backoff = milliseconds(100);
  options.transport.max_backoff = milliseconds(200);
  return options;
}

Poco::JSON::Object::Ptr loggedBody(const Poco::JSON::Array::Ptr& logged, unsigned index) {
  Poco::JSON::Parser parser;
  return parser.parse(logged->getObject(index)->getValue<std::string>("body"))
      .extract<Poco::JSON::Object::Ptr>();
}

class V2GatewayTest : public ::testing::Test {
 protected:
  void addBillingKey(const std::string& json) {
    const auto answer = sandbox_.post("/_sandbox/billing-keys", json);
    ASSERT_EQ(answer.status, 201) << answer.body;
  }

  SandboxControl sandbox_;
  ManualClock clock_{Clock::TimePoint(std::chrono::seconds(1714039200))};
  PortOneClient client_{clientOptions(sandbox_.baseUrl(), sandbox_.options().store_id), clock_};
  V2Gateway gateway_{client_};
};

TEST_F(V2GatewayTest, AnIssuedKeyShowsItsCustomerAndTheCardsLastDigits) {
  addBillingKey(R"({"billingKey":"bk-1","customerId":"user-7","cardNumber":"1234567812345678"})");
  const core::BillingKeyLookup lookup = gateway_.lookUpBillingKey("bk-1");
  EXPECT_EQ(lookup.status, core::LookupStatus::kFound);
  EXPECT_TRUE(lookup.issued);
  EXPECT_EQ(lookup.customer_id, "user-7");
  EXPECT_EQ(lookup.card_last_digits, "5678");
  EXPECT_TRUE(lookup.error_type.empty());
  EXPECT_EQ(lookup.detail.find("12345678"), std::string::npos) << lookup.detail;

  const auto logged = sandbox_.requests("GET", "/billing-keys/bk-1");
  ASSERT_EQ(logged->size(), 1u);
  EXPECT_EQ(logged->getObject(0)->getValue<std::string>("query"),
            "storeId=" + sandbox_.options().store_id);
  EXPECT_TRUE(logged->getObject(0)->getValue<bool>("authorized"));
}

TEST_F(V2GatewayTest, ASecondKeyOfTheSameCustomerShowsItsOwnCard) {
  addBillingKey(R"({"billingKey":"bk-old","customerId":"user-7","cardNumber":"1234567812345678"})");
  addBillingKey(R"({"billingKey":"bk-new","customerId":"user-7","cardNumber":"9876543210984321"})");
  EXPECT_EQ(gateway_.lookUpBillingKey("bk-old").card_last_digits, "5678");
  const auto fresh = gateway_.lookUpBillingKey("bk-new");
  EXPECT_EQ(fresh.customer_id, "user-7");
  EXPECT_EQ(fresh.card_last_digits, "4321");
}

TEST_F(V2GatewayTest, AKeyWithCharactersToEncodeIsFound) {
  addBillingKey(R"({"billingKey":"bk/월 1?x=y","customerId":"user-8"})");
  const auto lookup = gateway_.lookUpBillingKey("bk/월 1?x=y");
  EXPECT_EQ(lookup.status, core::LookupStatus::kFound) << lookup.detail;
  EXPECT_EQ(lookup.customer_id, "user-8");
}

TEST_F(V2GatewayTest, ADeletedKeyIsFoundButNotIssued) {
  addBillingKey(R"({"billingKey":"bk-gone","customerId":"user-7","deleted":true})");
  const auto lookup = gateway_.lookUpBillingKey("bk-gone");
  EXPECT_EQ(lookup.status, core::LookupStatus::kFound);
  EXPECT_FALSE(lookup.issued);
  EXPECT_EQ(lookup.customer_id, "user-7");
  EXPECT_EQ(lookup.card_last_digits, "1234");  // the sandbox's default card
  const BillingKeyInfo info = client_.getBillingKey("bk-gone");
  EXPECT_EQ(info.status, BillingKeyStatus::kDeleted);
  EXPECT_TRUE(info.issued_at);
  EXPECT_TRUE(info.deleted_at);
}

TEST_F(V2GatewayTest, AnUnknownKeyIsNotFound) {
  const auto lookup = gateway_.lookUpBillingKey("bk-none");
  EXPECT_EQ(lookup.status, core::LookupStatus::kNotFound);
  EXPECT_EQ(lookup.error_type, "BILLING_KEY_NOT_FOUND");
  EXPECT_FALSE(lookup.issued);
  EXPECT_EQ(sandbox_.requests("GET", "/billing-keys/bk-none")->size(), 1u);  // not retried
}

TEST_F(V2GatewayTest, AnotherStoresKeyIsRefused) {
  addBillingKey(R"({"billingKey":"bk-1"})");
  PortOneClient stranger(clientOptions(sandbox_.baseUrl(), "store-someone-else"), clock_);
  const auto lookup = V2Gateway(stranger).lookUpBillingKey("bk-1");
  EXPECT_EQ(lookup.status, core::LookupStatus::kRefused);
  EXPECT_EQ(lookup.error_type, "FORBIDDEN");
}

TEST_F(V2GatewayTest, PortOneDownIsUnavailable) {
  addBillingKey(R"({"billingKey":"bk-1"})");
  sandbox_.stop();
  const auto lookup = gateway_.lookUpBillingKey("bk-1");
  EXPECT_EQ(lookup.status, core::LookupStatus::kUnavailable);
  EXPECT_TRUE(lookup.error_type.empty());
  EXPECT_FALSE(lookup.detail.empty());
}

TEST_F(V2GatewayTest, RefundsPartOfAPaymentThenTheRest) {
  ASSERT_EQ(
      sandbox_.post("/_sandbox/payments", R"({"id":"p","status":"PAID","amount":10000})").status,
      201);
  core::RefundRequest part{"p", "one seat fewer", 10000, "refund-p-part-000001"};
  part.amount = 3000;
  const core::RefundAnswer first = gateway_.refund(part);
  EXPECT_TRUE(first.refunded) << first.detail;
  Payment payment = client_.getPayment("p");
  EXPECT_EQ(payment.status, PaymentStatus::kPartialCancelled);
  EXPECT_EQ(payment.amount.cancelled, 3000);

  const core::RefundAnswer rest =
      gateway_.refund(core::RefundRequest{"p", "the rest", 7000, "refund-p-rest-000001"});
  EXPECT_TRUE(rest.refunded) << rest.detail;
  payment = client_.getPayment("p");
  EXPECT_EQ(payment.status, PaymentStatus::kCancelled);
  EXPECT_EQ(payment.amount.cancelled, 10000);

  const auto logged = sandbox_.requests("POST", "/payments/p/cancel");
  ASSERT_EQ(logged->size(), 2u);
  EXPECT_EQ(loggedBody(logged, 0)->getValue<std::int64_t>("amount"), 3000);
  EXPECT_EQ(loggedBody(logged, 0)->getValue<std::int64_t>("currentCancellableAmount"), 10000);
  EXPECT_FALSE(loggedBody(logged, 1)->has("amount"));  // nullopt: everything left
  EXPECT_EQ(loggedBody(logged, 1)->getValue<std::int64_t>("currentCancellableAmount"), 7000);
}

TEST_F(V2GatewayTest, ARefundOfMoreThanIsLeftIsRefused) {
  ASSERT_EQ(
      sandbox_.post("/_sandbox/payments", R"({"id":"p","status":"PAID","amount":10000})").status,
      201);
  core::RefundRequest request{"p", "too much", 10000, "refund-p-much-000001"};
  request.amount = 12000;
  const auto answer = gateway_.refund(request);
  EXPECT_FALSE(answer.refunded);
  EXPECT_FALSE(answer.transient);
  EXPECT_EQ(answer.error_type, "CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT");
  EXPECT_EQ(client_.getPayment("p").amount.cancelled, 0);
}

}  // namespace
}  // namespace paymentd::portone
