// The PortOne API client against a real (in-process) PortOne sandbox.
#include "portone/api_client.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "clock/manual_clock.h"
#include "portone/api_error.h"
#include "sandbox_control.h"

namespace paymentd::portone {
namespace {

using std::chrono::milliseconds;
using testing::SandboxControl;

// The typed error a call throws; fails the test when it throws something else or nothing.
template <typename Call>
ApiError apiErrorOf(Call call) {
  try {
    call();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an ApiError";
  return ApiError(0, "", "");
}

template <typename Call>
TransientError transientErrorOf(Call call) {
  try {
    call();
  } catch (const TransientError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a TransientError";
  return TransientError(TransientError::Kind::kTransport, 0, "");
}

class ApiClientTest : public ::testing::Test {
 protected:
  PortOneClient client(const Clock& clock, milliseconds read_timeout = milliseconds(5000),
                       milliseconds deadline = milliseconds(10000),
                       std::string secret = "sandbox-api-secret") {
    PortOneClientOptions options;
    options.store_id = sandbox_.options().store_id;
    options.transport.api_base = sandbox_.baseUrl();
    options.transport.api_secret = std::move(secret);
    options.transport.connect_timeout = milliseconds(1000);
    options.transport.read_timeout = read_timeout;
    options.transport.request_deadline = deadline;
    options.transport.first_backoff = milliseconds(200);
    options.transport.max_backoff = milliseconds(1000);
    return PortOneClient(options, clock);
  }

  void createPayment(const std::string& json) {
    const auto answer = sandbox_.post("/_sandbox/payments", json);
    ASSERT_EQ(answer.status, 201) << answer.body;
  }

  void addFault(const std::string& json) {
    const auto answer = sandbox_.post("/_sandbox/faults", json);
    ASSERT_EQ(answer.status, 201) << answer.body;
  }

  SandboxControl sandbox_;
  ManualClock clock_{Clock::TimePoint(std::chrono::seconds(1714039200))};
};

TEST_F(ApiClientTest, ReadsAPaymentIntoThePaymentView) {
  createPayment(
      R"({"id":"order-1","status":"PAID","amount":39000,"method":"card","cardBrand":"MASTER",
                    "billingKey":"bk-1","customerId":"user-42","orderName":"월간 이용권","channel":"LIVE"})");
  const Payment payment = client(clock_).getPayment("order-1");
  EXPECT_EQ(payment.id, "order-1");
  EXPECT_EQ(payment.status, PaymentStatus::kPaid);
  EXPECT_EQ(payment.amount.total, 39000);
  EXPECT_EQ(payment.amount.paid, 39000);
  EXPECT_EQ(payment.currency, "KRW");
  EXPECT_EQ(payment.method, PaymentMethodType::kCard);
  ASSERT_TRUE(payment.card);
  EXPECT_EQ(payment.card->brand, "MASTER");
  EXPECT_EQ(payment.billing_key, "bk-1");
  EXPECT_EQ(payment.customer_id, "user-42");
  EXPECT_EQ(payment.order_name, "월간 이용권");
  EXPECT_EQ(payment.store_id, sandbox_.options().store_id);
  EXPECT_TRUE(payment.live);
  EXPECT_TRUE(payment.paid_at);
}

TEST_F(ApiClientTest, ReadsAVirtualAccountPaymentWaitingForDeposit) {
  createPayment(
      R"({"id":"va-1","status":"VIRTUAL_ACCOUNT_ISSUED","amount":1000,"method":"virtualAccount"})");
  const Payment payment = client(clock_).getPayment("va-1");
  EXPECT_EQ(payment.status, PaymentStatus::kVirtualAccountIssued);
  EXPECT_EQ(payment.method, PaymentMethodType::kVirtualAccount);
  EXPECT_EQ(payment.amount.paid, 0);
  EXPECT_FALSE(payment.card);
}

// Calls share kept-alive connections instead of a new TCP (in production TLS) handshake
// each; one the server closed while idle is replaced without failing the call.
TEST_F(ApiClientTest, ReusesOneConnectionAndReplacesOneTheServerClosed) {
  createPayment(R"({"id":"order-ka","status":"PAID","amount":1000,"method":"card"})");
  const PortOneClient portone = client(clock_);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(portone.getPayment("order-ka").id, "order-ka");
  auto logged = sandbox_.requests("GET", "/payments/order-ka");
  ASSERT_EQ(logged->size(), 5u);
  std::set<std::string> clients;
  for (std::size_t i = 0; i < logged->size(); ++i) {
    clients.insert(logged->getObject(static_cast<unsigned>(i))->getValue<std::string>("client"));
  }
  EXPECT_EQ(clients.size(), 1u) << "five calls, one connection";

  std::this_thread::sleep_for(milliseconds(2500));  // the sandbox closes it after 2 s idle
  EXPECT_EQ(portone.getPayment("order-ka").id, "order-ka");
  logged = sandbox_.requests("GET", "/payments/order-ka");
  ASSERT_EQ(logged->size(), 6u) << "the closed connection carried nothing";
  EXPECT_EQ(clients.count(logged->getObject(5)->getValue<std::string>("client")), 0u)
      << "a new connection";
}

TEST_F(ApiClientTest, AnUnknownPaymentIsPaymentNotFound) {
  const auto error = apiErrorOf([&] { client(clock_).getPayment("no-such-payment"); });
  EXPECT_EQ(error.httpStatus(), 404);
  EXPECT_EQ(error.type(), "PAYMENT_NOT_FOUND");
  EXPECT_EQ(sandbox_.requests("GET", "/payments/no-such-payment")->size(), 1u);  // not retried
}

TEST_F(ApiClientTest, AWrongSecretIsUnauthorized) {
  createPayment(R"({"id":"p","status":"PAID"})");
  const auto error = apiErrorOf([&] {
    client(clock_, milliseconds(5000), milliseconds(10000), "wrong-secret").getPayment("p");
  });
  EXPECT_EQ(error.httpStatus(), 401);
  EXPECT_EQ(error.type(), "UNAUTHORIZED");
}

TEST_F(ApiClientTest, CancelsAPaidPaymentOnceThenReportsAlreadyCancelled) {
  createPayment(R"({"id":"p","status":"PAID","amount":5000})");
  const auto api = client(clock_);
  const Cancellation cancellation =
      api.cancelPayment({"p", "validation failed", std::nullopt, 5000, "cancel-p-0000000001"});
  EXPECT_EQ(cancellation.status, CancellationStatus::kSucceeded);
  EXPECT_EQ(cancellation.total_amount, 5000);
  EXPECT_FALSE(cancellation.id.empty());
  EXPECT_EQ(api.getPayment("p").status, PaymentStatus::kCancelled);

  const auto error = apiErrorOf([&] {
    api.cancelPayment({"p", "again", std::nullopt, std::nullopt, "cancel-p-0000000002"});
  });
  EXPECT_EQ(error.httpStatus(), 409);
  EXPECT_EQ(error.type(), "PAYMENT_ALREADY_CANCELLED");
}

TEST_F(ApiClientTest, SendsTheCancelFieldsPortOneExpects) {
  createPayment(R"({"id":"p","status":"PAID","amount":5000})");
  client(clock_).cancelPayment({"p", "refund", 2000, 5000, "cancel-p-0000000003"});
  const auto logged = sandbox_.requests("POST", "/payments/p/cancel");
  ASSERT_EQ(logged->size(), 1u);
  const auto entry = logged->getObject(0);
  EXPECT_EQ(entry->getValue<std::string>("idempotencyKey"), "cancel-p-0000000003");
  Poco::JSON::Parser parser;
  const auto body =
      parser.parse(entry->getValue<std::string>("body")).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->getValue<std::string>("reason"), "refund");
  EXPECT_EQ(body->getValue<std::int64_t>("amount"), 2000);
  EXPECT_EQ(body->getValue<std::int64_t>("currentCancellableAmount"), 5000);
  EXPECT_EQ(body->getValue<std::string>("storeId"), sandbox_.options().store_id);
  EXPECT_EQ(client(clock_).getPayment("p").status, PaymentStatus::kPartialCancelled);
}

TEST_F(ApiClientTest, CancellingAnUnpaidPaymentIsPaymentNotPaid) {
  createPayment(R"({"id":"p","status":"READY"})");
  const auto error = apiErrorOf([&] {
    client(clock_).cancelPayment({"p", "x", std::nullopt, std::nullopt, "cancel-unpaid-00001"});
  });
  EXPECT_EQ(error.type(), "PAYMENT_NOT_PAID");
}

TEST_F(ApiClientTest, AStaleCancellableAmountIsRefused) {
  createPayment(R"({"id":"p","status":"PAID","amount":5000})");
  const auto error = apiErrorOf([&] {
    client(clock_).cancelPayment({"p", "x", std::nullopt, 4000, "cancel-stale-000001"});
  });
  EXPECT_EQ(error.type(), "CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN");
  EXPECT_EQ(client(clock_).getPayment("p").status, PaymentStatus::kPaid);
}

TEST_F(ApiClientTest, PaysWithABillingKeyAndRefusesToPayTwice) {
  ASSERT_EQ(
      sandbox_.post("/_sandbox/billing-keys", R"({"billingKey":"bk-ok","customerId":"u1"})").status,
      201);
  const auto api = client(clock_);
  const BillingKeyPaymentRequest request{
      "retry-1",
      {"bk-ok", "월간 이용권", "u1", 9900, "KRW", std::nullopt, {}},
      "pay-retry-1-000001"};
  const auto summary = api.payWithBillingKey(request);
  EXPECT_FALSE(summary.pg_tx_id.empty());
  EXPECT_TRUE(summary.paid_at);
  const Payment payment = api.getPayment("retry-1");
  EXPECT_EQ(payment.status, PaymentStatus::kPaid);
  EXPECT_EQ(payment.amount.total, 9900);
  EXPECT_EQ(payment.billing_key, "bk-ok");

  auto again = request;
  again.idempotency_key = "pay-retry-1-000002";
  EXPECT_EQ(apiErrorOf([&] { api.payWithBillingKey(again); }).type(), "ALREADY_PAID");
}

TEST_F(ApiClientTest, ADeclinedCardIsPgProviderAndTheScriptThenSucceeds) {
  ASSERT_EQ(
      sandbox_.post("/_sandbox/billing-keys", R"({"billingKey":"bk-flaky","declines":2})").status,
      201);
  const auto api = client(clock_);
  for (int i = 0; i < 2; ++i) {
    const std::string id = "charge-" + std::to_string(i);
    const auto error = apiErrorOf([&] {
      api.payWithBillingKey({id,
                             {"bk-flaky", "o", std::nullopt, 100, "KRW", std::nullopt, {}},
                             "pay-" + id + "-00000001"});
    });
    EXPECT_EQ(error.httpStatus(), 502);
    EXPECT_EQ(error.type(), "PG_PROVIDER");
    EXPECT_EQ(error.pgCode(), "CARD_DECLINED");
    EXPECT_EQ(api.getPayment(id).status, PaymentStatus::kFailed);
    EXPECT_EQ(sandbox_.requests("POST", "/payments/" + id + "/billing-key")->size(),
              1u);  // a verdict: no retry
  }
  EXPECT_NO_THROW(
      api.payWithBillingKey({"charge-2",
                             {"bk-flaky", "o", std::nullopt, 100, "KRW", std::nullopt, {}},
                             "pay-charge-2-00000001"}));
}

TEST_F(ApiClientTest, AnUnknownBillingKeyIsBillingKeyNotFound) {
  const auto error = apiErrorOf([&] {
    client(clock_).payWithBillingKey(
        {"x", {"bk-none", "o", std::nullopt, 100, "KRW", std::nullopt, {}}, "pay-x-000000000001"});
  });
  EXPECT_EQ(error.httpStatus(), 404);
  EXPECT_EQ(error.type(), "BILLING_KEY_NOT_FOUND");
}

TEST_F(ApiClientTest, SchedulesOncePerPaymentAndTheScheduleRunsWhenTheClockAdvances) {
  ASSERT_EQ(sandbox_.post("/_sandbox/billing-keys", R"({"billingKey":"bk-sub","customerId":"u7"})")
                .status,
            201);
  const auto api = client(clock_);
  const auto in_one_hour = std::chrono::system_clock::now() + std::chrono::hours(1);
  const PaymentScheduleRequest request{
      "sub-1-cycle-2",
      {"bk-sub", "월간 이용권", "u7", 39000, "KRW", R"({"cycle":2})", {}},
      in_one_hour,
      "schedule-sub-1-cycle-2"};
  const std::string schedule_id = api.createPaymentSchedule(request);
  EXPECT_FALSE(schedule_id.empty());

  auto again = request;
  again.idempotency_key = "schedule-sub-1-cycle-2-b";
  EXPECT_EQ(apiErrorOf([&] { api.createPaymentSchedule(again); }).type(),
            "PAYMENT_SCHEDULE_ALREADY_EXISTS");
  EXPECT_EQ(apiErrorOf([&] { api.getPayment("sub-1-cycle-2"); }).type(), "PAYMENT_NOT_FOUND");

  const auto advanced = sandbox_.post("/_sandbox/clock/advance", R"({"seconds":3601})");
  ASSERT_EQ(advanced.status, 200) << advanced.body;
  const Payment payment = api.getPayment("sub-1-cycle-2");
  EXPECT_EQ(payment.status, PaymentStatus::kPaid);
  EXPECT_EQ(payment.schedule_id, schedule_id);
  EXPECT_EQ(payment.billing_key, "bk-sub");
  EXPECT_EQ(payment.amount.total, 39000);

  EXPECT_EQ(apiErrorOf([&] {
              api.revokePaymentSchedules({std::nullopt, {schedule_id}, "revoke-sub-1-c2-0001"});
            }).type(),
            "PAYMENT_SCHEDULE_ALREADY_PROCESSED");
  EXPECT_EQ(apiErrorOf([&] {
              api.revokePaymentSchedules({std::nullopt, {"nope"}, "revoke-sub-1-c2-0002"});
            }).type(),
            "PAYMENT_SCHEDULE_NOT_FOUND");
}

TEST_F(ApiClientTest, RevokesTheSchedulesOfABillingKey) {
  ASSERT_EQ(sandbox_.post("/_sandbox/billing-keys", R"({"billingKey":"bk-rev"})").status, 201);
  const auto api = client(clock_);
  const auto later = std::chrono::system_clock::now() + std::chrono::hours(24);
  const std::string id =
      api.createPaymentSchedule({"rev-1",
                                 {"bk-rev", "o", std::nullopt, 100, "KRW", std::nullopt, {}},
                                 later,
                                 "schedule-rev-1-000001"});
  const auto revoked = api.revokePaymentSchedules({"bk-rev", {}, "revoke-bk-rev-000001"});
  EXPECT_EQ(revoked, std::vector<std::string>{id});
  sandbox_.post("/_sandbox/clock/advance", R"({"seconds":90000})");
  EXPECT_EQ(apiErrorOf([&] { api.getPayment("rev-1"); }).type(), "PAYMENT_NOT_FOUND");  // never ran
}

TEST_F(ApiClientTest, RetriesAReadAfterServerErrors) {
  createPayment(R"({"id":"p","status":"PAID"})");
  addFault(R"({"method":"GET","path":"/payments/p","kind":"status","status":503,"count":2})");
  EXPECT_EQ(client(clock_).getPayment("p").status, PaymentStatus::kPaid);
  const auto logged = sandbox_.requests("GET", "/payments/p");
  ASSERT_EQ(logged->size(), 3u);
  EXPECT_EQ(logged->getObject(0)->getValue<int>("status"), 503);
  EXPECT_EQ(logged->getObject(2)->getValue<int>("status"), 200);
}

TEST_F(ApiClientTest, PersistentServerErrorsAreTransientOnceTheDeadlinePasses) {
  createPayment(R"({"id":"p","status":"PAID"})");
  addFault(R"({"path":"/payments/p","kind":"status","status":500,"count":-1})");
  // Backoff 200, 400, 800 ms fits a 1 s deadline twice: three attempts.
  const auto error = transientErrorOf(
      [&] { client(clock_, milliseconds(5000), milliseconds(1000)).getPayment("p"); });
  EXPECT_EQ(error.kind(), TransientError::Kind::kServerError);
  EXPECT_EQ(error.httpStatus(), 500);
  EXPECT_EQ(sandbox_.requests("GET", "/payments/p")->size(), 3u);
}

TEST_F(ApiClientTest, ATimeoutIsTransient) {
  createPayment(R"({"id":"p","status":"PAID"})");
  addFault(R"({"path":"/payments/p","kind":"delay","delayMs":1500,"count":-1})");
  const auto error = transientErrorOf(
      [&] { client(clock_, milliseconds(200), milliseconds(300)).getPayment("p"); });
  EXPECT_EQ(error.kind(), TransientError::Kind::kTimeout);
  EXPECT_EQ(sandbox_.requests("GET", "/payments/p")->size(), 2u);  // 200 ms backoff fits once
}

TEST_F(ApiClientTest, ADroppedConnectionIsTransient) {
  createPayment(R"({"id":"p","status":"PAID"})");
  addFault(R"({"path":"/payments/p","kind":"drop","count":-1})");
  const auto error = transientErrorOf(
      [&] { client(clock_, milliseconds(2000), milliseconds(100)).getPayment("p"); });
  EXPECT_EQ(error.kind(), TransientError::Kind::kTransport);
}

TEST_F(ApiClientTest, ARetriedCancelCarriesTheSameIdempotencyKey) {
  createPayment(R"({"id":"p","status":"PAID","amount":7000})");
  // PortOne cancels, but the answer is lost on the way back.
  addFault(R"({"method":"POST","path":"/payments/p/cancel","kind":"drop_after","count":1})");
  const auto cancellation =
      client(clock_).cancelPayment({"p", "refund", std::nullopt, 7000, "refund-p-key-000001"});
  EXPECT_EQ(cancellation.status, CancellationStatus::kSucceeded);

  const auto logged = sandbox_.requests("POST", "/payments/p/cancel");
  ASSERT_EQ(logged->size(), 2u);
  EXPECT_EQ(logged->getObject(0)->getValue<std::string>("idempotencyKey"), "refund-p-key-000001");
  EXPECT_EQ(logged->getObject(1)->getValue<std::string>("idempotencyKey"), "refund-p-key-000001");
  EXPECT_EQ(logged->getObject(0)->getValue<int>("status"), 0);    // dropped
  EXPECT_EQ(logged->getObject(1)->getValue<int>("status"), 200);  // replayed
  const Payment payment = client(clock_).getPayment("p");
  EXPECT_EQ(payment.status, PaymentStatus::kCancelled);
  EXPECT_EQ(payment.amount.cancelled, 7000);  // cancelled once, not twice
}

TEST_F(ApiClientTest, ARetryWhileTheFirstCancelIsStillRunningWaitsForItsAnswer) {
  createPayment(R"({"id":"p","status":"PAID","amount":7000})");
  addFault(
      R"({"method":"POST","path":"/payments/p/cancel","kind":"delay","delayMs":700,"count":1})");
  // Real time: the first attempt times out while PortOne still works on it.
  const auto cancellation =
      client(SystemClock::instance(), milliseconds(300), milliseconds(5000))
          .cancelPayment({"p", "refund", std::nullopt, std::nullopt, "refund-p-slow-00001"});
  EXPECT_EQ(cancellation.status, CancellationStatus::kSucceeded);
  const auto logged = sandbox_.requests("POST", "/payments/p/cancel");
  ASSERT_GE(logged->size(), 2u);
  bool saw_outstanding = false;
  for (std::size_t i = 0; i < logged->size(); ++i) {
    EXPECT_EQ(logged->getObject(static_cast<unsigned>(i))->getValue<std::string>("idempotencyKey"),
              "refund-p-slow-00001");
    saw_outstanding |= logged->getObject(static_cast<unsigned>(i))->getValue<int>("status") == 409;
  }
  EXPECT_TRUE(saw_outstanding);
  EXPECT_EQ(client(clock_).getPayment("p").amount.cancelled, 7000);
}

TEST_F(ApiClientTest, AWriteWithoutIdempotencyKeyIsNeverRetried) {
  createPayment(R"({"id":"p","status":"PAID","amount":7000})");
  addFault(
      R"({"method":"POST","path":"/payments/p/cancel","kind":"status","status":503,"count":1})");
  const auto error = transientErrorOf([&] {
    client(clock_).cancelPayment({"p", "refund", std::nullopt, std::nullopt, ""});
  });
  EXPECT_EQ(error.kind(), TransientError::Kind::kServerError);
  EXPECT_EQ(sandbox_.requests("POST", "/payments/p/cancel")->size(), 1u);
}

TEST_F(ApiClientTest, RefusesAnIdempotencyKeyPortOneWouldRefuse) {
  createPayment(R"({"id":"p","status":"PAID","amount":7000})");
  EXPECT_THROW(client(clock_).cancelPayment({"p", "refund", std::nullopt, std::nullopt, "short"}),
               std::invalid_argument);
  EXPECT_EQ(sandbox_.requests("POST", "/payments/p/cancel")->size(), 0u);
}

TEST(ApiTransport, RefusesPlainHttpToAnyHostButLoopback) {
  ManualClock clock{Clock::TimePoint{}};
  ApiTransportOptions options;
  options.api_base = "http://api.portone.io";
  EXPECT_THROW(ApiTransport(options, clock), std::invalid_argument);
  options.api_base = "ftp://127.0.0.1";
  EXPECT_THROW(ApiTransport(options, clock), std::invalid_argument);
  options.api_base = "http://127.0.0.1:1";
  EXPECT_NO_THROW(ApiTransport(options, clock));
  options.api_base = "http://localhost:1";
  EXPECT_NO_THROW(ApiTransport(options, clock));
  options.api_base = "https://api.portone.io";
  EXPECT_NO_THROW(ApiTransport(options, clock));
}

}  // namespace
}  // namespace paymentd::portone
