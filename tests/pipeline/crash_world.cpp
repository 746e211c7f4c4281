#include "crash_world.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <thread>

#include "portone/rfc3339.h"
#include "support/own_redis.h"

namespace paymentd::testing {
namespace {

std::string json(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

}  // namespace

std::string InvariantCounts::line() const {
  std::ostringstream out;
  out << "payments=" << payments << " fulfilled_once=" << fulfilled_once
      << " refunded_once=" << refunded_once << " neither_or_both=" << neither_or_both
      << " portone_cancels=" << portone_cancels << " cancelled_twice=" << cancelled_twice
      << " cycles_paid=" << cycles_paid << " cycles_paid_twice=" << cycles_paid_twice
      << " outbox_done=" << outbox_done << " outbox_dead=" << outbox_dead
      << " outbox_unfinished=" << outbox_unfinished << " stray_notices=" << stray_notices;
  return out.str();
}

CrashWorld::CrashWorld(Setup setup, std::string lock)
    : setup_(setup),
      lock_(std::move(lock)),
      port_a_(freeLoopbackPort()),
      admin_a_(freeLoopbackPort()),
      port_b_(freeLoopbackPort()),
      admin_b_(freeLoopbackPort()) {
  database_ = std::make_unique<TestDatabase>(setup_ == Setup::kPostgresRedisTwoDaemons
                                                 ? storage::Backend::kPostgres
                                                 : storage::Backend::kSqlite);
  sandbox::SandboxOptions options;
  options.time_scale = 0.001;  // PortOne's redeliveries after 60 ms, 240 ms, 1 s, 4 s, 15 s
  portone_ = std::make_unique<sandbox::Sandbox>(options);
  portone_->start();
  dir_.write("plans.yaml",
             "- {id: monthly-4, name: Monthly, price: 59000, months: 1, lessons_per_month: 4, "
             "trial: false}\n");
  dir_.write("api-secret", portone_->options().api_secret + "\n");
  dir_.write("webhook-secret", portone_->options().webhook_secret + "\n");
  dir_.write("admin-token", std::string(kToken) + "\n");
}

CrashWorld::~CrashWorld() {
  b_.reset();
  a_.reset();
  portone_->stop();
}

// Short leases and intervals, so what a dead daemon held comes back within the case.
std::string CrashWorld::config(std::uint16_t port, std::uint16_t admin_port) const {
  return dir_.write(
      "paymentd-" + std::to_string(port) + ".yaml",
      "http: {listen: \"127.0.0.1:" + std::to_string(port) +
          "\", threads: 16, drain_timeout_s: 5}\n"
          "admin: {listen: \"127.0.0.1:" +
          std::to_string(admin_port) +
          "\", token_file: admin-token}\n"
          "public_url: \"http://127.0.0.1:" +
          std::to_string(port_a_) + "\"\nstorage: \"" + database_->url() + "\"\nlock: \"" + lock_ +
          "\"\ncatalog: plans.yaml\n"
          "portone: {api_base: \"" +
          portone_->baseUrl() + "\", store_id: \"" + portone_->options().store_id +
          "\", api_secret_file: api-secret, webhook_secret_files: [webhook-secret], "
          "request_deadline_ms: 3000, read_timeout_ms: 2000}\n"
          "pipeline: {lock_lease_ms: 1000}\n"
          "outbox: {poll_interval_ms: 20, lease_s: 5, backoff_base_ms: 10, backoff_max_ms: 200}\n"
          "reconcile: {interval_s: 1}\n"
          "plugins:\n"
          "  directories: [\"" +
          std::string(PAYMENTD_BINARY_DIR) +
          "/lib/paymentd/plugins\"]\n"
          "  validators: [amount, duplicate-request, card, payment-status]\n"
          "  processors: {FIRST_BILLING: first-billing, BILLING: billing}\n"
          "  notifiers: {admin_slack: {plugin: log}, alimtalk: {plugin: log}, sms: "
          "{plugin: log}}\n");
}

void CrashWorld::startA(const std::string& failpoint) {
  a_.reset();
  const std::string name = "a" + std::to_string(++a_starts_);
  a_ = std::make_unique<Daemon>(dir_, name, config(port_a_, admin_a_),
                                failpoint.empty() ? DaemonLaunch{} : killedAt(failpoint));
}

void CrashWorld::startB() {
  if (setup_ != Setup::kPostgresRedisTwoDaemons || b_) return;
  b_ = std::make_unique<Daemon>(dir_, "b", config(port_b_, admin_b_));
}

bool CrashWorld::aKilled() {
  return a_->waitKilled(std::chrono::seconds(20));
}

std::uint16_t CrashWorld::survivorPort() const {
  return b_ ? port_b_ : port_a_;
}

std::uint16_t CrashWorld::survivorAdminPort() const {
  return b_ ? admin_b_ : admin_a_;
}

std::string CrashWorld::webhookUrl(const std::string& user) const {
  return "http://127.0.0.1:" + std::to_string(port_a_) + "/api/v1/payment/webhook?user_id=" + user +
         "&subscribe_id=monthly-4&payment_type=FIRST_BILLING";
}

void CrashWorld::payFirstBilling(const std::string& id, const std::string& user,
                                 std::int64_t amount) {
  Poco::JSON::Object payment;
  payment.set("id", id);
  payment.set("amount", amount);
  payment.set("method", "card");
  payment.set("billingKey", "billing-key-" + id);
  payment.set("customerId", user);
  payment.set("noticeUrl", webhookUrl(user));
  if (httpCall(portone_->port(), "POST", "/_sandbox/payments", json(payment)).status != 201) {
    throw std::runtime_error("sandbox refused payment " + id);
  }
  if (httpCall(portone_->port(), "POST", "/_sandbox/payments/" + id + "/pay").status / 100 != 2) {
    throw std::runtime_error("sandbox did not pay " + id);
  }
  payments_.push_back(id);
}

std::vector<std::string> CrashWorld::runRenewals() {
  Poco::JSON::Parser parser;
  const auto clock = parser.parse(httpCall(portone_->port(), "GET", "/_sandbox/clock").body)
                         .extract<Poco::JSON::Object::Ptr>();
  const auto now = portone::parseRfc3339(clock->getValue<std::string>("now"));
  const auto due = std::chrono::microseconds(
      count("SELECT MAX(time_to_pay_us) FROM payment_schedules WHERE status = 'SCHEDULED'"));
  Poco::JSON::Object body;
  body.set(
      "seconds",
      std::chrono::duration_cast<std::chrono::seconds>(due - now->time_since_epoch()).count() + 1);
  const HttpAnswer answer =
      httpCall(portone_->port(), "POST", "/_sandbox/clock/advance", json(body));
  Poco::JSON::Parser again;
  auto ran = again.parse(answer.body).extract<Poco::JSON::Object::Ptr>()->getArray("ranSchedules");
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < ran->size(); ++i) ids.push_back(ran->getElement<std::string>(i));
  return ids;
}

HttpAnswer CrashWorld::cancelNow(std::uint16_t admin_port, std::int64_t subscription) {
  return httpCall(admin_port, "POST",
                  "/admin/v1/subscriptions/" + std::to_string(subscription) + "/cancel",
                  R"({"at":"now","reason":"customer asked"})",
                  {{"Authorization", std::string("Bearer ") + kToken},
                   {"Idempotency-Key", "cancel-" + std::to_string(subscription)},
                   {"X-Actor", "support:lee"}});
}

void CrashWorld::deliverToSurvivor(const std::string& id, const std::string& user) {
  try {
    deliver(survivorPort(), signedWebhook(*portone_, id),
            "user_id=" + user + "&subscribe_id=monthly-4&payment_type=FIRST_BILLING");
  } catch (const std::exception&) {
    // Any answer, or none, is PortOne's business: the invariants are read afterwards.
  }
}

std::int64_t CrashWorld::count(const std::string& sql) const {
  auto db = database_->open();
  return queryInt(*db, sql);
}

std::string CrashWorld::text(const std::string& sql) const {
  auto db = database_->open();
  return queryText(*db, sql);
}

bool CrashWorld::waitFor(const std::string& sql, std::int64_t expected,
                         std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (count(sql) != expected) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

bool CrashWorld::waitSettled(std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const InvariantCounts counts = invariants();
    if (counts.neither_or_both == 0 && counts.outbox_unfinished == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int CrashWorld::successfulCancels(const std::string& id) const {
  const HttpAnswer log = httpCall(
      portone_->port(), "GET", "/_sandbox/requests?method=POST&path=/payments/" + id + "/cancel");
  Poco::JSON::Parser parser;
  const auto requests =
      parser.parse(log.body).extract<Poco::JSON::Object::Ptr>()->getArray("requests");
  int ok = 0;
  for (std::size_t i = 0; i < requests->size(); ++i) {
    ok += requests->getObject(static_cast<unsigned>(i))->getValue<int>("status") == 200 ? 1 : 0;
  }
  return ok;
}

InvariantCounts CrashWorld::invariants() const {
  InvariantCounts c;
  c.payments = static_cast<int>(payments_.size());
  for (const auto& id : payments_) {
    const std::int64_t fulfilled = count("SELECT COUNT(*) FROM payments WHERE id = " + quoted(id));
    const std::int64_t refunded =
        count("SELECT COUNT(*) FROM payment_failures WHERE refund = 'DONE' AND payment_id = " +
              quoted(id));
    if (fulfilled == 1 && refunded == 0) {
      ++c.fulfilled_once;
    } else if (fulfilled == 0 && refunded == 1) {
      ++c.refunded_once;
    } else {
      ++c.neither_or_both;
    }
    const int cancels = successfulCancels(id);
    c.portone_cancels += cancels;
    c.cancelled_twice += cancels > 1 ? 1 : 0;
    // A notice speaks of a settled payment: a refund's notices of a refunded
    // one only, any notice of a payment only once it is fulfilled or refunded.
    const std::int64_t refund_notices = count(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND (dedupe_key = "
        "'notice:PAYMENT_REFUNDED:" +
        id + "' OR dedupe_key = 'notice:REFUND_FAILED:" + id + "')");
    const std::int64_t notices = count(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND dedupe_key LIKE '%" + id + "%'");
    if ((refund_notices > 0 && refunded == 0) || (notices > 0 && fulfilled + refunded == 0)) {
      ++c.stray_notices;
    }
  }
  c.cycles_paid = static_cast<int>(count(
      "SELECT COUNT(*) FROM (SELECT DISTINCT s.subscription_id, s.cycle FROM payment_schedules s "
      "JOIN payments p ON p.id = s.payment_id) t"));
  c.cycles_paid_twice = static_cast<int>(count(
      "SELECT COUNT(*) FROM (SELECT s.subscription_id, s.cycle FROM payment_schedules s JOIN "
      "payments p ON p.id = s.payment_id GROUP BY s.subscription_id, s.cycle HAVING COUNT(*) > "
      "1) t"));
  c.outbox_done = static_cast<int>(count("SELECT COUNT(*) FROM outbox WHERE status = 'DONE'"));
  c.outbox_dead = static_cast<int>(count(
      "SELECT COUNT(*) FROM outbox WHERE status = 'DEAD' AND COALESCE(last_error, '') <> ''"));
  c.outbox_unfinished =
      static_cast<int>(count("SELECT COUNT(*) FROM outbox") - c.outbox_done - c.outbox_dead);
  return c;
}

std::string CrashWorld::logs() const {
  std::string text;
  if (a_) text += "--- a\n" + a_->log();
  if (b_) text += "--- b\n" + b_->log();
  return text;
}

}  // namespace paymentd::testing
