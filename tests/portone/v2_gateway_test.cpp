// The V2 gateway (billing-key lookups, partial refunds) against a real
// (in-process) PortOne sandbox.
#include "portone/v2_gateway.h"

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
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

// The listing's time range is PortOne's statusChangedAt: the sandbox's own clock.
core::PaidPaymentsQuery aroundNow(std::int64_t page_number, std::int64_t page_size) {
  const auto now = std::chrono::system_clock::now();
  return {now - std::chrono::hours(1), now + std::chrono::hours(1), page_number, page_size};
}

TEST_F(V2GatewayTest, ListsOnlyThePaidPaymentsOfTheRangePageByPage) {
  for (const char* id : {"p-a", "p-b", "p-c", "p-d", "p-e"}) {
    ASSERT_EQ(
        sandbox_
            .post("/_sandbox/payments", std::string(R"({"id":")") + id + R"(","status":"PAID"})")
            .status,
        201);
  }
  ASSERT_EQ(sandbox_.post("/_sandbox/payments", R"({"id":"p-failed","status":"FAILED"})").status,
            201);
  ASSERT_EQ(sandbox_.post("/_sandbox/payments", R"({"id":"p-ready"})").status, 201);

  std::vector<std::string> seen;
  for (std::int64_t page_number = 0; page_number < 3; ++page_number) {
    const core::PaymentPage page = gateway_.listPaidPayments(aroundNow(page_number, 2));
    ASSERT_EQ(page.status, core::LookupStatus::kFound) << page.detail;
    EXPECT_EQ(page.total_count, 5);
    EXPECT_EQ(page.items.size(), page_number < 2 ? 2u : 1u);
    for (const auto& item : page.items) {
      EXPECT_EQ(item.status, "PAID");
      EXPECT_TRUE(item.paid_at);
      seen.push_back(item.id);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"p-a", "p-b", "p-c", "p-d", "p-e"}));

  // A range before the payments were paid holds none of them.
  const auto now = std::chrono::system_clock::now();
  const auto earlier =
      gateway_.listPaidPayments({now - std::chrono::hours(2), now - std::chrono::hours(1), 0, 10});
  EXPECT_EQ(earlier.status, core::LookupStatus::kFound);
  EXPECT_EQ(earlier.total_count, 0);
  EXPECT_TRUE(earlier.items.empty());

  // The body goes as PortOne's SDKs send it: URL-encoded in requestBody.
  const auto logged = sandbox_.requests("GET", "/payments");
  ASSERT_EQ(logged->size(), 4u);
  const std::string query = logged->getObject(0)->getValue<std::string>("query");
  ASSERT_EQ(query.rfind("requestBody=", 0), 0u) << query;
  std::string decoded;
  Poco::URI::decode(query.substr(std::string("requestBody=").size()), decoded);
  Poco::JSON::Parser parser;
  const auto body = parser.parse(decoded).extract<Poco::JSON::Object::Ptr>();
  const auto filter = body->getObject("filter");
  EXPECT_EQ(filter->getValue<std::string>("storeId"), sandbox_.options().store_id);
  EXPECT_EQ(filter->getValue<std::string>("timestampType"), "STATUS_CHANGED_AT");
  ASSERT_EQ(filter->getArray("status")->size(), 1u);
  EXPECT_EQ(filter->getArray("status")->getElement<std::string>(0), "PAID");
  EXPECT_EQ(body->getObject("page")->getValue<int>("size"), 2);
}

TEST_F(V2GatewayTest, AResendIsTakenUntilPortOnesLimitThenRefusedAsTheLimit) {
  ASSERT_EQ(sandbox_
                .post("/_sandbox/payments",
                      R"({"id":"p-r","status":"PAID","noticeUrl":"http://127.0.0.1:9/w"})")
                .status,
            201);
  ASSERT_EQ(sandbox_.post("/_sandbox/resend-limit", R"({"limit":1})").status, 200);
  const core::ResendAnswer first = gateway_.resendWebhook("p-r");
  EXPECT_EQ(first.status, core::ResendStatus::kResent) << first.detail;
  const core::ResendAnswer second = gateway_.resendWebhook("p-r");
  EXPECT_EQ(second.status, core::ResendStatus::kLimitReached);
  EXPECT_EQ(second.error_type, "MAX_WEBHOOK_RETRY_COUNT_REACHED");

  const auto logged = sandbox_.requests("POST", "/payments/p-r/resend-webhook");
  ASSERT_EQ(logged->size(), 2u);  // a refused resend is not retried
  EXPECT_EQ(loggedBody(logged, 0)->getValue<std::string>("storeId"), sandbox_.options().store_id);

  const auto unknown = gateway_.resendWebhook("p-none");
  EXPECT_EQ(unknown.status, core::ResendStatus::kRefused);
  EXPECT_EQ(unknown.error_type, "PAYMENT_NOT_FOUND");
}

TEST_F(V2GatewayTest, PortOneDownIsUnavailableForTheListAndTheResend) {
  sandbox_.stop();
  EXPECT_EQ(gateway_.listPaidPayments(aroundNow(0, 10)).status, core::LookupStatus::kUnavailable);
  EXPECT_EQ(gateway_.resendWebhook("p").status, core::ResendStatus::kUnavailable);
}

}  // namespace
}  // namespace paymentd::portone
