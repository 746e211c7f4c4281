// Clients that connect to the public listener and stall (idle, or trickling a header or a
// body), many more of them than `http.threads`: a legitimate webhook is still answered and
// fulfilled, and the browser's poll still answered, on both deployments.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "deployments.h"
#include "pipeline_harness.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::HttpAnswer;
using testing::PipelineHarness;

template <typename Deployment>
class SlowClientsTest : public ::testing::Test {
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

  std::unique_ptr<PipelineHarness> harness_;
};

TYPED_TEST_SUITE(SlowClientsTest, testing::Deployments, testing::BackendNames);

TYPED_TEST(SlowClientsTest, AWebhookIsAnsweredBesideFourTimesHttpThreadsStalledClients) {
  PipelineHarness& h = *this->harness_;
  const int threads = PipelineHarness::kHttpThreads;
  // A quarter of each: silent, a header cut short, a webhook's body cut short, an idle
  // keep-alive connection after a request.
  std::vector<Poco::Net::StreamSocket> stalled;
  const std::vector<std::string> parts = {
      "", "POST /api/v1/payment/webhook?user_id=42 HTTP/1.1\r\nHost: x\r\nwebhook-id: ",
      "POST /api/v1/payment/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"ty",
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"};
  for (int i = 0; i < 4 * threads; ++i) {
    stalled.emplace_back(Poco::Net::SocketAddress("127.0.0.1", h.port()));
    const std::string& part = parts[static_cast<std::size_t>(i) % parts.size()];
    if (!part.empty()) stalled.back().sendBytes(part.data(), static_cast<int>(part.size()));
  }

  h.createPayment(testing::paidPayment("pay-slow", 59000, "billing-key-pay-slow"));
  const HttpAnswer answer =
      h.sendWebhook("Transaction.Paid", "pay-slow",
                    "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"status":"fulfilled"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments WHERE id = 'pay-slow'"), 1);
  EXPECT_NE(h.check("pay-slow").body.find(R"("status":"completed")"), std::string::npos);
}

}  // namespace
}  // namespace paymentd::pipeline
