#include "pipeline_harness.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sstream>
#include <thread>

#include "clock/manual_clock.h"
#include "config/config.h"
#include "lifecycle/subscription_operations.h"
#include "loader/plugin_set.h"
#include "pipeline/reconciler.h"
#include "portone/rfc3339.h"
#include "portone/webhook_signature.h"
#include "storage/plan_catalog.h"

namespace paymentd::testing {
namespace {

std::string toJson(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::vector<Plan> testPlans() {
  return {Plan{"monthly-4", "Monthly, 4 lessons", 59000, 1, 4, false},
          Plan{"yearly-8", "12 months, 8 lessons a month", 89000, 12, 8, false},
          Plan{"trial", "Trial lesson", 0, 1, 1, true},
          Plan{"trial-paid", "Trial lesson, paid", 9900, 1, 1, true}};
}

config::PluginEntry entry(const std::string& name) {
  config::PluginEntry e;
  e.plugin = name;
  e.mark = config::SourceMark{"test.yaml", 1, 1};
  return e;
}

}  // namespace

HttpAnswer httpCall(std::uint16_t port, const std::string& method, const std::string& path,
                    const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/json");
  for (const auto& [name, value] : headers) request.add(name, value);
  request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpAnswer answer;
  answer.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, answer.body);
  return answer;
}

PipelineHarness::PipelineHarness(storage::Backend backend, const std::string& lock_url)
    : PipelineHarness(
          backend, HarnessOptions{lock_url, false, {}, false, 0, {}, {}, {}, {}, {}, false, {}}) {}

PipelineHarness::PipelineHarness(storage::Backend backend, HarnessOptions harness_options)
    : test_database_(backend),
      recurring_payment_type_(harness_options.recurring.payment_type),
      lock_url_(harness_options.lock_url),
      admin_token_(harness_options.admin_token) {
  sandbox_ = std::make_unique<sandbox::Sandbox>(sandbox::SandboxOptions{});
  sandbox_->start();
  const sandbox::SandboxOptions& options = sandbox_->options();

  config::PluginsConfig plugins;
  plugins.directories = {std::string(PAYMENTD_BINARY_DIR) + "/lib/paymentd/plugins",
                         std::string(PAYMENTD_TEST_PLUGIN_DIR) + "/write_then_fail",
                         std::string(PAYMENTD_TEST_PLUGIN_DIR) + "/canaries"};
  for (const char* name :
       {"amount", "duplicate-request", "card", "payment-status", "duplicate-lesson"}) {
    const auto canary = harness_options.validator_canaries.find(name);
    plugins.validators.push_back({entry(name), harness_options.disabled_validators.count(name) == 0,
                                  canary != harness_options.validator_canaries.end()
                                      ? std::optional<config::CanaryEntry>(canary->second)
                                      : std::nullopt});
  }
  plugins.processors.emplace(
      "FIRST_BILLING",
      config::RolloutEntry{entry("first-billing"), true, harness_options.first_billing_canary});
  if (harness_options.every_processor) {
    plugins.processors.emplace(harness_options.recurring.payment_type,
                               config::RolloutEntry{entry("billing"), true, {}});
    plugins.processors.emplace("LUMP_SUM", config::RolloutEntry{entry("lump-sum"), true, {}});
    plugins.processors.emplace("TRIAL", config::RolloutEntry{entry("trial"), true, {}});
    plugins.processors.emplace("TRIAL_FREE", config::RolloutEntry{entry("trial"), true, {}});
  } else {
    plugins.processors.emplace("LUMP_SUM", config::RolloutEntry{entry("first-billing"), false, {}});
  }
  plugins.processors.emplace("BROKEN", config::RolloutEntry{entry("write-then-fail"), true, {}});
  for (const char* channel : {"admin_slack", "alimtalk", "sms"}) {
    const auto chosen = harness_options.notifiers.find(channel);
    plugins.notifiers.emplace(channel, chosen != harness_options.notifiers.end()
                                           ? chosen->second
                                           : config::RolloutEntry{entry("log")});
  }
  config::ConfigProblems problems;
  auto set = loader::buildPluginSet(plugins, problems);
  if (!set) throw std::runtime_error("plugins: " + problems.lines().front());

  // The daemon's own wiring (app/daemon.h), configured as paymentd.yaml would be.
  config::Config config;
  config.storage = test_database_.url();
  config.lock = harness_options.lock_url;
  config.http.port = 0;
  config.http.threads = kHttpThreads;
  config.portone.api_base = sandbox_->baseUrl();
  config.portone.store_id = options.store_id;
  config.portone.api_secret_file = writeFile("portone-api-secret", options.api_secret);
  config.portone.webhook_secret_files = {
      writeFile("portone-webhook-secret", options.webhook_secret)};
  config.portone.read_timeout_ms = 2000;
  config.portone.request_deadline_ms = 3000;
  config.portone.require_live = harness_options.require_live;
  if (harness_options.lock_lease_ms > 0)
    config.pipeline.lock_lease_ms = harness_options.lock_lease_ms;
  config.plugins = plugins;
  config.recurring = harness_options.recurring;
  config.outbox.backoff_base_ms = 1;
  config.outbox.backoff_max_ms = 1;
  config.outbox.notice_grace_s = 3600;
  if (!harness_options.admin_token.empty()) {
    config.admin.enabled = true;
    config.admin.port = 0;
    config.admin.token_file = writeFile("admin-token", harness_options.admin_token + "\n");
  }
  portone_v1_ = harness_options.portone_v1;
  if (portone_v1_) {
    config::PortOneV1Config v1;
    v1.api_base = sandbox_->baseUrl() + "/v1";
    v1.imp_key_file = writeFile("v1-imp-key", options.v1_imp_key);
    v1.imp_secret_file = writeFile("v1-imp-secret", options.v1_imp_secret);
    config.portone.v1 = v1;
  }
  if (!harness_options.events_url.empty()) {
    config::EventsConfig events;
    events.url = harness_options.events_url;
    events.secret_file = writeFile("events-secret", std::string(kEventsSecret) + "\n");
    events.read_timeout_ms = 2000;
    config.events = events;
  }
  daemon_ = std::make_unique<app::Daemon>(
      app::DaemonInputs{config, set, testPlans(), SystemClock::instance(), "harness"});
  daemon_->listen();  // the outbox worker and the reconciler run when a test says so
}

std::size_t PipelineHarness::reconcileAt(Timestamp now, std::chrono::seconds grace) {
  const ManualClock clock(now);
  pipeline::ReconcilerOptions options;
  options.grace = grace;
  options.renewal_payment_type = recurring_payment_type_;
  return pipeline::Reconciler(clock, daemon_->database(), daemon_->service(), options, nullptr,
                              daemon_->v1Service())
      .runOnce();
}

std::size_t PipelineHarness::reconcileWithSweepAt(Timestamp now) {
  const pipeline::ReconcilerOptions options = daemon_->reconcilerOptions();
  ManualClock clock(now - options.interval);
  const pipeline::PaymentSweep sweep(clock, daemon_->database(), daemon_->gateway(),
                                     daemon_->metrics(), "harness");
  pipeline::Reconciler reconciler(clock, daemon_->database(), daemon_->service(), options, &sweep,
                                  daemon_->v1Service());
  clock.set(now);
  return reconciler.runOnce();
}

pipeline::SweepPass PipelineHarness::sweepAt(Timestamp now, pipeline::SweepOptions options,
                                             storage::Database* database,
                                             const std::string& holder) {
  const ManualClock clock(now);
  options.enabled = true;
  return pipeline::PaymentSweep(clock, database ? *database : daemon_->database(),
                                daemon_->gateway(), daemon_->metrics(), holder)
      .runOnce(options);
}

void PipelineHarness::changePlanPrice(const std::string& plan_id, std::int64_t price) {
  std::vector<Plan> plans = testPlans();
  for (Plan& plan : plans) {
    if (plan.id == plan_id) plan.price = price;
  }
  storage::syncPlanCatalog(daemon_->database(), plans);
}

void PipelineHarness::seedSubscription(std::int64_t id) {
  const std::string sql =
      "INSERT INTO subscriptions (id, user_id, plan_id, status, trial, billing_key, "
      "period_start_us, period_end_us, consecutive_failures, created_at_us, updated_at_us) "
      "VALUES (" +
      std::to_string(id) + ", 'seeded-" + std::to_string(id) +
      "', 'monthly-4', 'ACTIVE', FALSE, 'card-ok', 0, 0, 0, 0, 0) ON CONFLICT (id) DO NOTHING";
  execute(daemon_->database(), sql);
}

std::size_t PipelineHarness::drainOutbox() {
  std::size_t total = 0;
  for (std::size_t n; (n = daemon_->worker().runOnce()) > 0;) total += n;
  return total;
}

Timestamp PipelineHarness::sandboxNow() const {
  Poco::JSON::Parser parser;
  auto root = parser.parse(httpCall(sandbox_->port(), "GET", "/_sandbox/clock").body)
                  .extract<Poco::JSON::Object::Ptr>();
  const auto now = portone::parseRfc3339(root->getValue<std::string>("now"));
  if (!now) throw std::runtime_error("sandbox clock unreadable");
  return *now;
}

std::vector<std::string> PipelineHarness::advanceSandboxTo(Timestamp time) {
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(time - sandboxNow()).count() + 1;
  Poco::JSON::Object body;
  body.set("seconds", std::max<std::int64_t>(seconds, 0));
  HttpAnswer answer = httpCall(sandbox_->port(), "POST", "/_sandbox/clock/advance", toJson(body));
  if (answer.status != 200) throw std::runtime_error("sandbox clock: " + answer.body);
  Poco::JSON::Parser parser;
  auto ran = parser.parse(answer.body).extract<Poco::JSON::Object::Ptr>()->getArray("ranSchedules");
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < ran->size(); ++i) ids.push_back(ran->getElement<std::string>(i));
  return ids;
}

void PipelineHarness::registerCard(const std::string& billing_key, int declines,
                                   const std::string& then, const std::string& decline_code) {
  Poco::JSON::Object card;
  card.set("billingKey", billing_key);
  card.set("customerId", "42");
  card.set("declines", declines);
  card.set("then", then);
  if (!decline_code.empty()) card.set("declineCode", decline_code);
  HttpAnswer answer = httpCall(sandbox_->port(), "POST", "/_sandbox/billing-keys", toJson(card));
  if (answer.status / 100 != 2)
    throw std::runtime_error("sandbox refused the card: " + answer.body);
}

bool PipelineHarness::waitForCount(const std::string& sql, std::int64_t expected,
                                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (count(sql) != expected) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

PipelineHarness::~PipelineHarness() {
  daemon_->stop(std::chrono::seconds(5));
  sandbox_->stop();
}

Poco::JSON::Object paidPayment(const std::string& id, std::int64_t amount,
                               const std::optional<std::string>& billing_key,
                               const std::optional<std::string>& phone) {
  Poco::JSON::Object payment;
  payment.set("id", id);
  payment.set("status", "PAID");
  payment.set("amount", amount);
  payment.set("method", "card");
  if (billing_key) payment.set("billingKey", *billing_key);
  payment.set("customerId", "42");
  if (phone) payment.set("customerPhone", *phone);
  return payment;
}

void PipelineHarness::createPayment(const Poco::JSON::Object& fields) {
  HttpAnswer answer = httpCall(sandbox_->port(), "POST", "/_sandbox/payments", toJson(fields));
  if (answer.status != 201) throw std::runtime_error("sandbox refused the payment: " + answer.body);
}

std::string PipelineHarness::portoneRequestLog(const std::string& method,
                                               const std::string& path) const {
  return httpCall(sandbox_->port(), "GET", "/_sandbox/requests?method=" + method + "&path=" + path)
      .body;
}

int PipelineHarness::portoneRequests(const std::string& method, const std::string& path) const {
  Poco::JSON::Parser parser;
  auto root = parser.parse(portoneRequestLog(method, path)).extract<Poco::JSON::Object::Ptr>();
  return static_cast<int>(root->getArray("requests")->size());
}

int PipelineHarness::allPortoneRequests() const {
  Poco::JSON::Parser parser;
  auto root =
      parser.parse(httpCall(sandbox_->port(), "GET", "/_sandbox/requests?pathPrefix=/").body)
          .extract<Poco::JSON::Object::Ptr>();
  return static_cast<int>(root->getArray("requests")->size());
}

std::vector<std::string> PipelineHarness::idempotencyKeys(const std::string& method,
                                                          const std::string& path) const {
  Poco::JSON::Parser parser;
  auto root = parser.parse(portoneRequestLog(method, path)).extract<Poco::JSON::Object::Ptr>();
  auto requests = root->getArray("requests");
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < requests->size(); ++i) {
    keys.push_back(
        requests->getObject(static_cast<unsigned>(i))->getValue<std::string>("idempotencyKey"));
  }
  return keys;
}

void PipelineHarness::addFault(const Poco::JSON::Object& fault) {
  HttpAnswer answer = httpCall(sandbox_->port(), "POST", "/_sandbox/faults", toJson(fault));
  if (answer.status != 201) throw std::runtime_error("sandbox refused the fault: " + answer.body);
}

void PipelineHarness::dropNextWebhooks(int count) {
  HttpAnswer answer = httpCall(sandbox_->port(), "POST", "/_sandbox/webhooks/mode",
                               "{\"dropNext\":" + std::to_string(count) + "}");
  if (answer.status != 200) throw std::runtime_error("sandbox refused dropNext: " + answer.body);
}

void PipelineHarness::holdWebhooks() {
  HttpAnswer answer =
      httpCall(sandbox_->port(), "POST", "/_sandbox/webhooks/mode", R"({"hold":true})");
  if (answer.status != 200) throw std::runtime_error("sandbox refused hold: " + answer.body);
}

void PipelineHarness::releaseWebhooks() {
  HttpAnswer answer = httpCall(sandbox_->port(), "POST", "/_sandbox/webhooks/release", "{}");
  if (answer.status != 200) throw std::runtime_error("sandbox refused release: " + answer.body);
}

void PipelineHarness::cancelAtConsole(const std::string& payment_id,
                                      std::optional<std::int64_t> amount) {
  Poco::JSON::Object body;
  body.set("reason", "refunded in the console");
  if (amount) body.set("amount", *amount);
  HttpAnswer answer = httpCall(sandbox_->port(), "POST",
                               "/_sandbox/payments/" + payment_id + "/cancel", toJson(body));
  if (answer.status != 200) throw std::runtime_error("sandbox refused the cancel: " + answer.body);
}

void PipelineHarness::deleteBillingKey(const std::string& billing_key) {
  Poco::JSON::Object body;
  body.set("noticeUrl", webhookUrl(""));
  HttpAnswer answer = httpCall(sandbox_->port(), "POST",
                               "/_sandbox/billing-keys/" + billing_key + "/delete", toJson(body));
  if (answer.status != 200) throw std::runtime_error("sandbox refused the delete: " + answer.body);
}

void PipelineHarness::clearFaults() {
  httpCall(sandbox_->port(), "DELETE", "/_sandbox/faults");
}

std::string PipelineHarness::signatureFor(const std::string& id, const std::string& timestamp,
                                          const std::string& body) const {
  const auto key = portone::decodeWebhookSecret(sandbox_->options().webhook_secret);
  return portone::webhookSignatureEntry(*key, id, timestamp, body);
}

HttpAnswer PipelineHarness::postWebhook(const std::string& body, const std::string& query,
                                        const std::string& id, const std::string& timestamp,
                                        const std::string& signature) {
  return httpCall(
      port(), "POST", "/api/v1/payment/webhook?" + query, body,
      {{"webhook-id", id}, {"webhook-timestamp", timestamp}, {"webhook-signature", signature}});
}

HttpAnswer PipelineHarness::sendWebhook(const std::string& type, const std::string& payment_id,
                                        const std::string& query) {
  const std::string body = R"({"type":")" + type +
                           R"(","timestamp":"2026-11-24T10:00:00.000Z","data":{"paymentId":")" +
                           payment_id + R"(","storeId":")" + sandbox_->options().store_id +
                           R"(","transactionId":"tx-)" + payment_id + R"("}})";
  const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  const std::string id = "msg-" + payment_id + "-" + timestamp;
  return postWebhook(body, query, id, timestamp, signatureFor(id, timestamp, body));
}

HttpAnswer PipelineHarness::check(const std::string& payment_id) {
  return httpCall(port(), "GET", "/api/v1/payment/check/" + payment_id);
}

ProcessResult PipelineHarness::cli(std::vector<std::string> args) const {
  const TempDir& dir = test_database_.dir();
  const sandbox::SandboxOptions& options = sandbox_->options();
  dir.write("cli-api-secret", options.api_secret + "\n");
  dir.write("cli-webhook-secret", options.webhook_secret + "\n");
  std::string v1;
  if (portone_v1_) {
    dir.write("cli-imp-key", options.v1_imp_key + "\n");
    dir.write("cli-imp-secret", options.v1_imp_secret + "\n");
    v1 = ", v1: {api_base: \"" + sandbox_->baseUrl() +
         "/v1\", imp_key_file: cli-imp-key, imp_secret_file: cli-imp-secret}";
  }
  const std::string config =
      dir.write("cli.yaml", "storage: \"" + test_database_.url() + "\"\nlock: \"" + lock_url_ +
                                "\"\ncatalog: plans.yaml\nportone: {api_base: \"" +
                                sandbox_->baseUrl() + "\", store_id: " + options.store_id +
                                ", api_secret_file: cli-api-secret, webhook_secret_files: "
                                "[cli-webhook-secret]" +
                                v1 + "}\n");
  args.insert(args.begin(), "--config=" + config);
  return runProcess(PAYMENTD_EXECUTABLE, args);
}

ProcessResult PipelineHarness::trace(const std::string& payment_id, bool json) const {
  std::vector<std::string> args{"trace", payment_id};
  if (json) args.push_back("--json");
  return cli(args);
}

HttpAnswer PipelineHarness::admin(const std::string& method, const std::string& path,
                                  const std::string& body, const std::string& idempotency_key,
                                  const std::string& actor) {
  std::vector<std::pair<std::string, std::string>> headers{
      {"Authorization", "Bearer " + admin_token_}};
  if (!idempotency_key.empty())
    headers.emplace_back("Idempotency-Key", "\"" + idempotency_key + "\"");
  if (!actor.empty()) headers.emplace_back("X-Actor", actor);
  return httpCall(daemon_->adminPort(), method, path, body, headers);
}

std::size_t PipelineHarness::cancelDueAt(Timestamp now) {
  const ManualClock clock(now);
  const lifecycle::SubscriptionOperations operations(
      lifecycle::LifecycleParts{daemon_->database(), clock, daemon_->gateway()});
  return operations.cancelDue(100);
}

HttpAnswer PipelineHarness::sendV1Webhook(const std::string& body) {
  return httpCall(port(), "POST", "/api/v1/payment/webhook/iamport", body);
}

std::string PipelineHarness::webhookUrl(const std::string& query) const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/api/v1/payment/webhook?" + query;
}

}  // namespace paymentd::testing
