// The V1 (Iamport) client against the sandbox's V1: its token, payments read into the
// payment view, cancels guarded by checksum, schedules.
#include "portone/v1_client.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "clock/manual_clock.h"
#include "portone/api_error.h"
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
  options.transport.read_timeout = milliseconds(5000);
  options.transport.request_deadline = milliseconds(1000);
  options.transport.first_backoff = milliseconds(100);
  options.transport.max_backoff = milliseconds(200);
  options.imp_key = "sandbox-imp-key";
  options.imp_secret = "sandbox-imp-secret";
  return options;
}

Poco::JSON::Object::Ptr parsed(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

class V1ClientTest : public ::testing::Test {
 protected:
  void addPayment(const std::string& json) {
    const auto answer = sandbox_.post("/_sandbox/v1/payments", json);
    ASSERT_EQ(answer.status, 201) << answer.body;
  }
  std::size_t tokenRequests() { return sandbox_.requests("POST", "/v1/users/getToken")->size(); }

  SandboxControl sandbox_;
  ManualClock clock_{Clock::TimePoint(std::chrono::seconds(1714039200))};
  V1Client client_{v1Options(sandbox_.baseUrl()), clock_};
};

TEST_F(V1ClientTest, FetchesOneTokenAndSendsItWithEveryCall) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1"})");
  addPayment(R"({"imp_uid":"imp_2","merchant_uid":"renewal-2"})");
  client_.getPayment("imp_1");
  client_.getPayment("imp_2");
  client_.getPayment("imp_1");

  const auto tokens = sandbox_.requests("POST", "/v1/users/getToken");
  ASSERT_EQ(tokens->size(), 1u);
  const auto sent = parsed(tokens->getObject(0)->getValue<std::string>("body"));
  EXPECT_EQ(sent->getValue<std::string>("imp_key"), "sandbox-imp-key");
  EXPECT_EQ(sent->getValue<std::string>("imp_secret"), "sandbox-imp-secret");
  const auto reads = sandbox_.requests("GET", "/v1/payments/imp_1");
  ASSERT_EQ(reads->size(), 2u);
  EXPECT_TRUE(reads->getObject(0)->getValue<bool>("authorized"));
  EXPECT_EQ(reads->getObject(1)->getValue<int>("status"), 200);
}

TEST_F(V1ClientTest, ATokenPortOneExpiredIsReplacedOnceAndTheCallGoesThrough) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1","amount":9900})");
  client_.getPayment("imp_1");
  ASSERT_EQ(sandbox_.post("/_sandbox/v1/tokens/expire", "{}").status, 200);

  EXPECT_EQ(client_.getPayment("imp_1").amount.total, 9900);
  EXPECT_EQ(tokenRequests(), 2u);
  const auto reads = sandbox_.requests("GET", "/v1/payments/imp_1");
  ASSERT_EQ(reads->size(), 3u);
  EXPECT_EQ(reads->getObject(1)->getValue<int>("status"), 401);
  EXPECT_EQ(reads->getObject(2)->getValue<int>("status"), 200);
  client_.getPayment("imp_1");  // the new token is kept
  EXPECT_EQ(tokenRequests(), 2u);
}

TEST_F(V1ClientTest, ATokenAboutToExpireIsReplacedBeforeItIsSent) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1"})");
  client_.getPayment("imp_1");
  clock_.advance(std::chrono::minutes(29));  // the sandbox's token lives 30, the margin is 1
  client_.getPayment("imp_1");
  EXPECT_EQ(tokenRequests(), 2u);
  const auto reads = sandbox_.requests("GET", "/v1/payments/imp_1");
  ASSERT_EQ(reads->size(), 2u);
  EXPECT_EQ(reads->getObject(0)->getValue<int>("status"), 200);
  EXPECT_EQ(reads->getObject(1)->getValue<int>("status"), 200);  // no 401 first
}

TEST_F(V1ClientTest, AWrongSecretIsUnauthorizedAndNotRetried) {
  V1ClientOptions options = v1Options(sandbox_.baseUrl());
  options.imp_secret = "not-the-secret";
  V1Client stranger(options, clock_);
  try {
    stranger.getPayment("imp_1");
    FAIL() << "a wrong secret got a payment";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), kV1Unauthorized);
    EXPECT_EQ(e.httpStatus(), 401);
  }
  EXPECT_EQ(tokenRequests(), 1u);
  EXPECT_EQ(sandbox_.requests("GET", "/v1/payments/imp_1")->size(), 0u);
}

TEST_F(V1ClientTest, APaidBillingKeyPaymentIsReadIntoThePaymentView) {
  addPayment(R"({"imp_uid":"imp_7","merchant_uid":"renewal-sub9-3","amount":29000,
                 "customer_uid":"cuid-42","customer_uid_usage":"payment.scheduled",
                 "name":"Pro monthly","buyer_tel":"010-1234-5678"})");
  const core::FetchedPayment payment = client_.getPayment("imp_7");
  EXPECT_EQ(payment.id, "renewal-sub9-3");
  EXPECT_EQ(payment.transaction_id, "imp_7");
  EXPECT_EQ(payment.status, PaymentStatus::kPaid);
  EXPECT_EQ(payment.amount.total, 29000);
  EXPECT_EQ(payment.amount.paid, 29000);
  EXPECT_EQ(payment.amount.cancelled, 0);
  EXPECT_EQ(payment.currency, "KRW");
  EXPECT_EQ(payment.method, PaymentMethodType::kCard);
  ASSERT_TRUE(payment.card);
  EXPECT_EQ(payment.card->type, "CREDIT");
  EXPECT_EQ(payment.billing_key, "cuid-42");
  EXPECT_EQ(payment.schedule_id, "renewal-sub9-3");
  EXPECT_EQ(payment.order_name, "Pro monthly");
  EXPECT_EQ(payment.customer_phone, "01012345678");
  EXPECT_TRUE(payment.paid_at);
  EXPECT_FALSE(payment.failure_reason);
}

TEST_F(V1ClientTest, StatusesBecomeTheSdksStatuses) {
  addPayment(R"({"imp_uid":"imp_r","merchant_uid":"m-r","status":"ready","pay_method":"vbank"})");
  addPayment(
      R"({"imp_uid":"imp_f","merchant_uid":"m-f","status":"failed","fail_reason":"한도초과"})");
  addPayment(R"({"imp_uid":"imp_c","merchant_uid":"m-c","status":"cancelled","amount":5000,
                 "cancel_amount":5000})");
  addPayment(R"({"imp_uid":"imp_p","merchant_uid":"m-p","amount":5000,"cancel_amount":2000})");
  const auto ready = client_.getPayment("imp_r");
  EXPECT_EQ(ready.status, PaymentStatus::kReady);
  EXPECT_EQ(ready.method, PaymentMethodType::kVirtualAccount);
  EXPECT_EQ(ready.amount.paid, 0);
  const auto failed = client_.getPayment("imp_f");
  EXPECT_EQ(failed.status, PaymentStatus::kFailed);
  EXPECT_EQ(failed.failure_reason, "한도초과");
  const auto cancelled = client_.getPayment("imp_c");
  EXPECT_EQ(cancelled.status, PaymentStatus::kCancelled);
  EXPECT_EQ(cancelled.amount.cancelled, 5000);
  const auto partial = client_.getPayment("imp_p");
  EXPECT_EQ(partial.status, PaymentStatus::kPartialCancelled);
  EXPECT_EQ(v1CancellableAmount(partial), 3000);
}

TEST_F(V1ClientTest, AnUnknownImpUidIsNotFoundAndNotRetried) {
  try {
    client_.getPayment("imp_none");
    FAIL() << "an unknown imp_uid was found";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "PAYMENT_NOT_FOUND");
    EXPECT_EQ(e.httpStatus(), 404);
  }
  EXPECT_EQ(sandbox_.requests("GET", "/v1/payments/imp_none")->size(), 1u);
}

TEST_F(V1ClientTest, APaymentIsFoundByTheMerchantUidPaymentdGaveIt) {
  addPayment(R"({"imp_uid":"imp_9","merchant_uid":"renewal-sub9-3","amount":29000})");
  const core::FetchedPayment payment = client_.findPayment("renewal-sub9-3");
  EXPECT_EQ(payment.id, "renewal-sub9-3");
  EXPECT_EQ(payment.transaction_id, "imp_9");
  EXPECT_EQ(payment.amount.total, 29000);
  try {
    client_.findPayment("renewal-none");
    FAIL() << "an unknown merchant_uid was found";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "PAYMENT_NOT_FOUND");
  }
}

TEST_F(V1ClientTest, AFractionalOrHugeAmountIsAnUnreadableAnswer) {
  addPayment(R"({"imp_uid":"imp_half","merchant_uid":"m-half","amount":1000.5})");
  addPayment(R"({"imp_uid":"imp_huge","merchant_uid":"m-huge","amount":1e300})");
  for (const std::string imp_uid : {"imp_half", "imp_huge"}) {
    try {
      client_.getPayment(imp_uid);
      FAIL() << imp_uid << " was read";
    } catch (const TransientError& e) {
      EXPECT_EQ(e.kind(), TransientError::Kind::kBadResponse) << imp_uid;
      EXPECT_NE(std::string(e.what()).find("'amount'"), std::string::npos) << e.what();
    }
  }
}

TEST_F(V1ClientTest, AServerErrorIsRetriedForAReadAndTransientWhenItLasts) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1"})");
  ASSERT_EQ(
      sandbox_.post("/_sandbox/faults", R"({"kind":"status","path":"/v1/payments/","status":503})")
          .status,
      201);
  EXPECT_EQ(client_.getPayment("imp_1").id, "renewal-1");
  EXPECT_EQ(sandbox_.requests("GET", "/v1/payments/imp_1")->size(), 2u);

  sandbox_.stop();
  try {
    client_.getPayment("imp_1");
    FAIL() << "a stopped sandbox answered";
  } catch (const TransientError& e) {
    EXPECT_NE(e.kind(), TransientError::Kind::kBadResponse);
  }
}

TEST_F(V1ClientTest, AReloadsTimeoutsApplyToTheNextCall) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1"})");
  client_.getPayment("imp_1");  // the token, so only the read below is slowed
  ASSERT_EQ(sandbox_
                .post("/_sandbox/faults",
                      R"({"kind":"delay","path":"/v1/payments/","delayMs":600,"count":-1})")
                .status,
            201);
  EXPECT_EQ(client_.getPayment("imp_1").id, "renewal-1");  // 600 ms is inside 5 s

  config::PortOneConfig reloaded;
  reloaded.connect_timeout_ms = 500;
  reloaded.read_timeout_ms = 200;
  reloaded.request_deadline_ms = 300;
  client_.setTimeouts(reloaded);
  try {
    client_.getPayment("imp_1");
    FAIL() << "a 600 ms answer came inside a 200 ms read timeout";
  } catch (const TransientError& e) {
    EXPECT_NE(e.kind(), TransientError::Kind::kBadResponse);
  }
}

TEST_F(V1ClientTest, ACancelCarriesTheChecksumAndAStaleOneRefundsNothingTwice) {
  addPayment(R"({"imp_uid":"imp_1","merchant_uid":"renewal-1","amount":10000})");
  V1CancelRequest cancel{"renewal-1", "validator refused", 3000, 10000};
  const core::FetchedPayment after = client_.cancelPayment(cancel);
  EXPECT_EQ(after.status, PaymentStatus::kPartialCancelled);
  EXPECT_EQ(after.amount.cancelled, 3000);

  try {
    client_.cancelPayment(cancel);  // the same cancel again: its checksum is stale now
    FAIL() << "a stale checksum was accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), kV1Refused);
    EXPECT_NE(e.apiMessage().find("checksum"), std::string::npos) << e.apiMessage();
  }
  EXPECT_EQ(client_.getPayment("imp_1").amount.cancelled, 3000);

  const auto logged = sandbox_.requests("POST", "/v1/payments/cancel");
  ASSERT_EQ(logged->size(), 2u);
  const auto sent = parsed(logged->getObject(0)->getValue<std::string>("body"));
  EXPECT_EQ(sent->getValue<std::string>("merchant_uid"), "renewal-1");
  EXPECT_EQ(sent->getValue<std::int64_t>("amount"), 3000);
  EXPECT_EQ(sent->getValue<std::int64_t>("checksum"), 10000);
  EXPECT_EQ(sent->getValue<std::string>("reason"), "validator refused");

  const auto rest = client_.cancelPayment({"renewal-1", "refund the rest", std::nullopt, 7000});
  EXPECT_EQ(rest.status, PaymentStatus::kCancelled);
  EXPECT_EQ(rest.amount.cancelled, 10000);
}

TEST_F(V1ClientTest, SchedulesAndUnschedulesAreRecordedWithTheDocumentedBodies) {
  const Timestamp at{std::chrono::seconds(1717200000)};
  V1ScheduleRequest request;
  request.customer_uid = "cuid-42";
  request.schedules.push_back(
      {"renewal-sub9-4", at, 29000, "KRW", "Pro monthly", std::string(R"({"subscription":"sub9"})"),
       std::string("https://paymentd.example/api/v1/payment/webhook/iamport")});
  request.schedules.push_back({"renewal-sub9-5", at + std::chrono::hours(24 * 30), 29000, "KRW",
                               "Pro monthly", std::nullopt, std::nullopt});
  EXPECT_EQ(client_.schedule(request),
            (std::vector<std::string>{"renewal-sub9-4", "renewal-sub9-5"}));

  auto schedules = sandbox_.get("/_sandbox/v1/schedules").json()->getArray("schedules");
  ASSERT_EQ(schedules->size(), 2u);
  const auto first = schedules->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("customer_uid"), "cuid-42");
  EXPECT_EQ(first->getValue<std::string>("schedule_status"), "scheduled");
  const auto body = first->getObject("request");
  EXPECT_EQ(body->getValue<std::string>("merchant_uid"), "renewal-sub9-4");
  EXPECT_EQ(body->getValue<std::int64_t>("schedule_at"), 1717200000);
  EXPECT_EQ(body->getValue<std::int64_t>("amount"), 29000);
  EXPECT_EQ(body->getValue<std::string>("currency"), "KRW");
  EXPECT_EQ(body->getValue<std::string>("name"), "Pro monthly");
  EXPECT_EQ(body->getValue<std::string>("custom_data"), R"({"subscription":"sub9"})");
  EXPECT_EQ(body->getValue<std::string>("notice_url"),
            "https://paymentd.example/api/v1/payment/webhook/iamport");
  EXPECT_FALSE(schedules->getObject(1)->getObject("request")->has("notice_url"));

  // The same merchant_uid twice is refused: a renewal is scheduled once.
  EXPECT_THROW(client_.schedule(request), ApiError);

  EXPECT_EQ(client_.unschedule({"cuid-42", {"renewal-sub9-4"}}),
            std::vector<std::string>{"renewal-sub9-4"});
  const auto unscheduled = sandbox_.requests("POST", "/v1/subscribe/payments/unschedule");
  ASSERT_EQ(unscheduled->size(), 1u);
  const auto sent = parsed(unscheduled->getObject(0)->getValue<std::string>("body"));
  EXPECT_EQ(sent->getValue<std::string>("customer_uid"), "cuid-42");
  EXPECT_EQ(sent->getArray("merchant_uid")->getElement<std::string>(0), "renewal-sub9-4");
  schedules = sandbox_.get("/_sandbox/v1/schedules").json()->getArray("schedules");
  EXPECT_EQ(schedules->getObject(0)->getValue<std::string>("schedule_status"), "revoked");
  EXPECT_EQ(schedules->getObject(1)->getValue<std::string>("schedule_status"), "scheduled");

  // Every schedule of the key; then none is left to unschedule.
  EXPECT_EQ(client_.unschedule({"cuid-42", {}}), std::vector<std::string>{"renewal-sub9-5"});
  EXPECT_THROW(client_.unschedule({"cuid-42", {}}), ApiError);
}

}  // namespace
}  // namespace paymentd::portone
