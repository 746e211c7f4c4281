#include "daemon_process.h"

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>
#include <sstream>

#include "portone/webhook_signature.h"
#include "support/test_servers.h"

namespace paymentd::testing {

void ClusterTest::SetUp() {
  PAYMENTD_REQUIRE_BACKEND(storage::Backend::kPostgres);
  PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
  redis_ = redis;
  database_ = std::make_unique<TestDatabase>(storage::Backend::kPostgres);
  portone_ = std::make_unique<sandbox::Sandbox>(sandbox::SandboxOptions{});
  portone_->start();
}

void ClusterTest::TearDown() {
  if (portone_) portone_->stop();
}

DaemonLaunch killedAt(const std::string& point) {
  return DaemonLaunch{PAYMENTD_FAILPOINTS_EXECUTABLE, {"PAYMENTD_FAILPOINT=" + point}};
}

Daemon::Daemon(const TempDir& dir, const std::string& name, const std::string& config,
               const DaemonLaunch& launch)
    : process_(launch.executable, {"--config=" + config}, (dir.path() / (name + ".log")).string(),
               launch.environment) {
  if (!waitForOutput(process_, "listening on", std::chrono::seconds(30))) {
    throw std::runtime_error(name + " did not start: " + process_.stderrText());
  }
  std::smatch match;
  const std::string text = process_.stderrText();
  std::regex_search(text, match, std::regex(R"(listening on 127\.0\.0\.1:(\d+))"));
  port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
}

Daemon::~Daemon() {
  if (ended_) return;
  process_.signal(SIGTERM);
  EXPECT_EQ(process_.waitFor(std::chrono::seconds(30)), 0) << process_.stderrText();
}

bool Daemon::waitKilled(std::chrono::milliseconds timeout) {
  const int status = process_.waitFor(timeout);
  ended_ = status != -1;
  return status == 128 + SIGKILL;
}

std::string clusterConfig(const TempDir& dir, const std::string& storage, const std::string& lock,
                          const sandbox::Sandbox& portone, const std::string& validators) {
  dir.write("plans.yaml",
            "- {id: monthly-4, name: Monthly, price: 59000, months: 1, lessons_per_month: 4, "
            "trial: false}\n");
  dir.write("api-secret", portone.options().api_secret + "\n");
  dir.write("webhook-secret", portone.options().webhook_secret + "\n");
  return dir.write("paymentd.yaml",
                   "http: {listen: \"127.0.0.1:0\", threads: 32, drain_timeout_s: 5}\n"
                   "storage: \"" +
                       storage +
                       "\"\n"
                       "lock: \"" +
                       lock +
                       "\"\n"
                       "catalog: plans.yaml\n"
                       "portone: {api_base: \"" +
                       portone.baseUrl() + "\", store_id: \"" + portone.options().store_id +
                       "\", api_secret_file: api-secret, webhook_secret_files: [webhook-secret], "
                       "request_deadline_ms: 3000, read_timeout_ms: 2000}\n"
                       "plugins:\n"
                       "  directories: [\"" +
                       std::string(PAYMENTD_BINARY_DIR) +
                       "/lib/paymentd/plugins\"]\n"
                       "  validators: [" +
                       validators +
                       "]\n"
                       "  processors: {FIRST_BILLING: first-billing}\n");
}

void createPaidPayment(const sandbox::Sandbox& portone, const std::string& id) {
  createPaidPaymentFor(portone, id, "42");
}

void createPaidPaymentFor(const sandbox::Sandbox& portone, const std::string& id,
                          const std::string& customer) {
  Poco::JSON::Object payment;
  payment.set("id", id);
  payment.set("status", "PAID");
  payment.set("amount", 59000);
  payment.set("method", "card");
  payment.set("billingKey", "billing-key-" + id);
  payment.set("customerId", customer);
  std::ostringstream body;
  payment.stringify(body);
  const HttpAnswer answer = httpCall(portone.port(), "POST", "/_sandbox/payments", body.str());
  if (answer.status != 201) throw std::runtime_error("sandbox refused the payment: " + answer.body);
}

SignedWebhook signedWebhook(const sandbox::Sandbox& portone, const std::string& payment_id,
                            const std::string& secret) {
  SignedWebhook w;
  w.body =
      R"({"type":"Transaction.Paid","timestamp":"2026-11-24T10:00:00.000Z","data":{"paymentId":")" +
      payment_id + R"(","storeId":")" + portone.options().store_id + R"(","transactionId":"t-1"}})";
  w.id = "msg-" + payment_id;
  w.timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
  const auto key =
      portone::decodeWebhookSecret(secret.empty() ? portone.options().webhook_secret : secret);
  w.signature = portone::webhookSignatureEntry(*key, w.id, w.timestamp, w.body);
  return w;
}

HttpAnswer deliver(std::uint16_t port, const SignedWebhook& w, const std::string& query) {
  return httpCall(port, "POST", "/api/v1/payment/webhook?" + query, w.body,
                  {{"webhook-id", w.id},
                   {"webhook-timestamp", w.timestamp},
                   {"webhook-signature", w.signature}});
}

int cancels(const sandbox::Sandbox& portone, const std::string& id) {
  const std::string log =
      httpCall(portone.port(), "GET",
               "/_sandbox/requests?method=POST&path=/payments/" + id + "/cancel")
          .body;
  int count = 0;
  for (auto at = log.find("\"seq\""); at != std::string::npos; at = log.find("\"seq\"", at + 1))
    ++count;
  return count;
}

}  // namespace paymentd::testing
