// Webhooks from the sandbox: signed so our verifier accepts them, redelivered on
// PortOne's (scaled) schedule, and duplicated, dropped or reordered on request.
#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <thread>

#include "http/http_server.h"
#include "portone/api_client.h"
#include "portone/webhook_event.h"
#include "portone/webhook_verifier.h"
#include "sandbox_control.h"
#include "support/webhook_headers.h"

namespace paymentd::portone {
namespace {

using std::chrono::milliseconds;

// Our own HTTP server as the merchant's webhook endpoint; answers with the
// scripted statuses in order, then 200.
class WebhookReceiver {
 public:
  WebhookReceiver() {
    auto router = std::make_shared<http::Router>();
    router->add("POST", "/webhook", [this](const http::HttpRequest& request) {
      std::lock_guard lock(mutex_);
      received_.push_back(request);
      int status = 200;
      if (!statuses_.empty()) {
        status = statuses_.front();
        statuses_.pop_front();
      }
      return http::jsonResponse(status, "{}");
    });
    http::HttpServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::HttpServer>(options, router);
    server_->start();
  }
  ~WebhookReceiver() { server_->shutdown(milliseconds(200)); }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/webhook";
  }
  void answerWith(std::deque<int> statuses) {
    std::lock_guard lock(mutex_);
    statuses_ = std::move(statuses);
  }
  std::vector<http::HttpRequest> waitFor(std::size_t count,
                                         milliseconds timeout = milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (received_.size() >= count || std::chrono::steady_clock::now() > deadline)
          return received_;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  }

 private:
  std::mutex mutex_;
  std::vector<http::HttpRequest> received_;
  std::deque<int> statuses_;
  std::unique_ptr<http::HttpServer> server_;
};

sandbox::SandboxOptions fastOptions() {
  sandbox::SandboxOptions options;
  options.time_scale = 0.0001;  // PortOne's 1 min -> 6 ms, 4 min -> 24 ms
  return options;
}

class SandboxWebhookTest : public ::testing::Test {
 protected:
  void createPayment(const std::string& id) {
    const auto answer =
        sandbox_.post("/_sandbox/payments",
                      R"({"id":")" + id + R"(","status":"READY","amount":1000,"noticeUrl":")" +
                          receiver_.url() + R"("})");
    ASSERT_EQ(answer.status, 201) << answer.body;
  }
  WebhookVerifier verifier() const {
    return WebhookVerifier::fromSecrets({sandbox_.options().webhook_secret},
                                        SystemClock::instance());
  }

  WebhookReceiver receiver_;
  testing::SandboxControl sandbox_{fastOptions()};
};

TEST_F(SandboxWebhookTest, SendsAPaidWebhookOurVerifierAccepts) {
  createPayment("p-1");
  ASSERT_EQ(sandbox_.post("/_sandbox/payments/p-1/pay", "{}").status, 200);
  const auto received = receiver_.waitFor(1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(verifier().verify(testing::webhookHeadersOf(received[0]), received[0].body),
            WebhookVerdict::kValid);
  const auto other = WebhookVerifier::fromSecrets({"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
                                                  SystemClock::instance());
  EXPECT_EQ(other.verify(testing::webhookHeadersOf(received[0]), received[0].body),
            WebhookVerdict::kNoMatchingSignature);

  const auto parsed =
      WebhookEventParser(sandbox_.options().store_id, {WebhookEventType::kTransactionPaid})
          .parse(received[0].body);
  ASSERT_EQ(parsed.status, WebhookParse::Status::kAccepted) << parsed.problem;
  EXPECT_EQ(parsed.event.payment_id, "p-1");
}

TEST_F(SandboxWebhookTest, RedeliversOnNon2xxWithTheSameIdAndAFreshSignature) {
  receiver_.answerWith({500, 503});
  createPayment("p-2");
  ASSERT_EQ(sandbox_.post("/_sandbox/payments/p-2/fail", R"({"reason":"declined"})").status, 200);
  const auto received = receiver_.waitFor(3);
  ASSERT_EQ(received.size(), 3u);
  for (const auto& request : received) {
    EXPECT_EQ(request.singleHeader("webhook-id"), received[0].singleHeader("webhook-id"));
    EXPECT_EQ(verifier().verify(testing::webhookHeadersOf(request), request.body),
              WebhookVerdict::kValid);
    EXPECT_NE(request.body.find("Transaction.Failed"), std::string::npos);
  }
  const auto deliveries = sandbox_.waitForDeliveries(3, milliseconds(2000));
  ASSERT_EQ(deliveries->size(), 3u);
  EXPECT_EQ(deliveries->getObject(0)->getValue<int>("status"), 500);
  EXPECT_EQ(deliveries->getObject(1)->getValue<int>("attempt"), 1);
  EXPECT_EQ(deliveries->getObject(2)->getValue<std::string>("outcome"), "delivered");
  std::this_thread::sleep_for(milliseconds(100));  // a delivered webhook is not sent again
  EXPECT_EQ(receiver_.waitFor(4, milliseconds(0)).size(), 3u);
}

TEST_F(SandboxWebhookTest, GivesUpAfterFiveRetries) {
  receiver_.answerWith({500, 500, 500, 500, 500, 500, 500});
  createPayment("p-3");
  ASSERT_EQ(sandbox_.post("/_sandbox/payments/p-3/pay", "{}").status, 200);
  // 6 + 24 + 96 + 384 + 1536 ms of scaled backoff.
  const auto received = receiver_.waitFor(6, milliseconds(8000));
  EXPECT_EQ(received.size(), 6u);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(receiver_.waitFor(7, milliseconds(0)).size(), 6u);
}

TEST_F(SandboxWebhookTest, SendsDuplicatesDropsAndReorders) {
  createPayment("a");
  createPayment("b");
  ASSERT_EQ(sandbox_.post("/_sandbox/webhooks/mode", R"({"duplicates":1})").status, 200);
  sandbox_.post("/_sandbox/payments/a/pay", "{}");
  auto received = receiver_.waitFor(2);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].singleHeader("webhook-id"), received[1].singleHeader("webhook-id"));
  EXPECT_EQ(received[0].body, received[1].body);

  sandbox_.post("/_sandbox/webhooks/mode", R"({"duplicates":0,"dropNext":1})");
  sandbox_.post("/_sandbox/payments/b/pay", "{}");
  EXPECT_EQ(sandbox_.waitForDeliveries(3, milliseconds(2000))
                ->getObject(2)
                ->getValue<std::string>("outcome"),
            "dropped");

  sandbox_.post("/_sandbox/webhooks/mode", R"({"hold":true})");
  sandbox_.post("/_sandbox/payments/a/webhook", R"({"type":"Transaction.Ready"})");
  sandbox_.post("/_sandbox/payments/a/webhook", R"({"type":"Transaction.Paid"})");
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(receiver_.waitFor(3, milliseconds(0)).size(), 2u);  // held
  ASSERT_EQ(sandbox_.post("/_sandbox/webhooks/release", R"({"order":"reverse"})")
                .json()
                ->getValue<int>("released"),
            2);
  received = receiver_.waitFor(4);
  ASSERT_EQ(received.size(), 4u);
  EXPECT_NE(received[2].body.find("Transaction.Paid"), std::string::npos);
  EXPECT_NE(received[3].body.find("Transaction.Ready"), std::string::npos);
}

TEST_F(SandboxWebhookTest, AResendPostsThePaymentsWebhookAgainSignedToItsUrl) {
  // A payment PortOne shows PAID whose webhook never went out.
  ASSERT_EQ(
      sandbox_
          .post("/_sandbox/payments", R"({"id":"p-8","status":"PAID","amount":1000,"noticeUrl":")" +
                                          receiver_.url() + R"("})")
          .status,
      201);
  PortOneClientOptions options;
  options.store_id = sandbox_.options().store_id;
  options.transport.api_base = sandbox_.baseUrl();
  options.transport.api_secret = sandbox_.options().api_secret;
  const PortOneClient client(options, SystemClock::instance());
  client.resendWebhook("p-8");
  const auto received = receiver_.waitFor(1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(verifier().verify(testing::webhookHeadersOf(received[0]), received[0].body),
            WebhookVerdict::kValid);
  const auto parsed =
      WebhookEventParser(sandbox_.options().store_id, {WebhookEventType::kTransactionPaid})
          .parse(received[0].body);
  ASSERT_EQ(parsed.status, WebhookParse::Status::kAccepted) << parsed.problem;
  EXPECT_EQ(parsed.event.payment_id, "p-8");
}

TEST_F(SandboxWebhookTest, AnUnreachablePaymentsWebhooksFailUntilItIsReachableAgain) {
  ASSERT_EQ(sandbox_.post("/_sandbox/webhooks/unreachable", R"({"paymentId":"p-9"})").status, 200);
  createPayment("p-9");
  ASSERT_EQ(sandbox_.post("/_sandbox/payments/p-9/pay", "{}").status, 200);
  // The first delivery and PortOne's five retries all fail; none reaches the receiver.
  const auto deliveries = sandbox_.waitForDeliveries(6, milliseconds(10000));
  ASSERT_EQ(deliveries->size(), 6u);
  for (std::size_t i = 0; i < deliveries->size(); ++i) {
    EXPECT_EQ(deliveries->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome"),
              "failed");
  }
  EXPECT_TRUE(receiver_.waitFor(1, milliseconds(50)).empty());

  ASSERT_EQ(
      sandbox_.post("/_sandbox/webhooks/unreachable", R"({"paymentId":"p-9","unreachable":false})")
          .status,
      200);
  ASSERT_EQ(
      sandbox_.post("/_sandbox/payments/p-9/webhook", R"({"type":"Transaction.Paid"})").status,
      200);
  const auto received = receiver_.waitFor(1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(verifier().verify(testing::webhookHeadersOf(received[0]), received[0].body),
            WebhookVerdict::kValid);
}

}  // namespace
}  // namespace paymentd::portone
