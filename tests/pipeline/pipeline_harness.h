// pipeline/pipeline_harness.h: a daemon's payment service on a fresh database, wired
// to an in-process PortOne sandbox and the shipped plugins, served over HTTP on
// a loopback port. Tests drive the sandbox's control API and send webhooks
// signed with the sandbox's secret, as PortOne would.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "app/daemon.h"
#include "clock/clock.h"
#include "loader/active_plugins.h"
#include "lock/payment_lock.h"
#include "metrics/metrics.h"
#include "outbox/outbox_worker.h"
#include "pipeline/payment_sweep.h"
#include "portone/api_client.h"
#include "sandbox.h"
#include "storage/test_database.h"
#include "support/subprocess.h"

namespace paymentd::testing {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

/// A JSON request to any loopback server.
HttpAnswer httpCall(std::uint16_t port, const std::string& method, const std::string& path,
                    const std::string& body = "",
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

struct HarnessOptions {
  std::string lock_url = "local";
  /// Maps the renewals' type (`recurring.payment_type`, BILLING by default),
  /// LUMP_SUM, TRIAL and TRIAL_FREE to their shipped processors (by default
  /// only FIRST_BILLING is served and LUMP_SUM is disabled).
  bool every_processor = false;
  config::RecurringConfig recurring;
  bool require_live = false;  // portone.require_live
  int lock_lease_ms = 0;      // pipeline.lock_lease_ms; 0: the default
  /// Notifier per channel (admin_slack, alimtalk, sms), with its rollout; a
  /// channel not named here gets the shipped `log` notifier.
  std::map<std::string, config::RolloutEntry> notifiers;
  /// Canaries by validator name (amount, card, ...) and of FIRST_BILLING's
  /// processor; tests/plugins/fixtures' `canaries` directory is searched too.
  std::map<std::string, config::CanaryEntry> validator_canaries;
  std::optional<config::CanaryEntry> first_billing_canary;
  std::set<std::string> disabled_validators;  // `enabled: false`
  /// Non-empty: the daemon serves the operator API on a loopback port of its
  /// own (`admin:`), with this bearer token.
  std::string admin_token;
  /// `portone.v1` on the sandbox's V1 API: the V1 webhook route and V1 schedules.
  bool portone_v1 = false;
  /// Non-empty: `events:` posts the application's events here, signed with kEventsSecret.
  std::string events_url;
};

/// The `events.secret_file` content of a harness with events (Standard Webhooks' example).
inline constexpr const char* kEventsSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A paid card payment of user 42 as the sandbox's POST /_sandbox/payments takes it,
/// with its billing key and the payer's phone when given.
Poco::JSON::Object paidPayment(const std::string& id, std::int64_t amount,
                               const std::optional<std::string>& billing_key,
                               const std::optional<std::string>& phone = std::nullopt);

class PipelineHarness {
 public:
  static constexpr int kHttpThreads = 8;  // the daemon's http.threads

  explicit PipelineHarness(storage::Backend backend, const std::string& lock_url = "local");
  PipelineHarness(storage::Backend backend, HarnessOptions options);
  ~PipelineHarness();

  // The sandbox side.
  /// Creates a payment in the sandbox (PortOne's view). `fields` as the
  /// sandbox's POST /_sandbox/payments takes them.
  void createPayment(const Poco::JSON::Object& fields);
  /// How many requests PortOne got for this method and path.
  int portoneRequests(const std::string& method, const std::string& path) const;
  /// Every request PortOne's sandbox has had from the daemon, whatever the path.
  int allPortoneRequests() const;
  std::string portoneRequestLog(const std::string& method, const std::string& path) const;
  /// The Idempotency-Key of each such request, in order ("" for none).
  std::vector<std::string> idempotencyKeys(const std::string& method,
                                           const std::string& path) const;
  void addFault(const Poco::JSON::Object& fault);
  /// The sandbox never sends its next `count` webhooks (a lost delivery).
  void dropNextWebhooks(int count);
  void clearFaults();
  /// The sandbox keeps its webhooks until releaseWebhooks() sends them.
  void holdWebhooks();
  void releaseWebhooks();
  /// A refund made in PortOne's console (all that is left when no amount):
  /// the sandbox sends Transaction.(Partial)Cancelled to the payment's notice URLs.
  void cancelAtConsole(const std::string& payment_id, std::optional<std::int64_t> amount);
  /// A billing key deleted in PortOne's console: BillingKey.Deleted reaches
  /// this daemon's webhook URL, as PortOne's console URL would.
  void deleteBillingKey(const std::string& billing_key);
  std::uint16_t sandboxPort() const { return sandbox_->port(); }

  // The daemon side.
  /// POSTs a webhook of `type` for `payment_id`, signed with the sandbox's secret.
  HttpAnswer sendWebhook(const std::string& type, const std::string& payment_id,
                         const std::string& query);
  /// POSTs an arbitrary body with the given signature headers.
  HttpAnswer postWebhook(const std::string& body, const std::string& query, const std::string& id,
                         const std::string& timestamp, const std::string& signature);
  std::string signatureFor(const std::string& id, const std::string& timestamp,
                           const std::string& body) const;
  HttpAnswer check(const std::string& payment_id);
  /// POSTs `body` to the V1 (Iamport) webhook route, unsigned as PortOne V1 sends it.
  HttpAnswer sendV1Webhook(const std::string& body);
  std::uint16_t port() const { return daemon_->port(); }
  std::string webhookUrl(const std::string& query) const;

  /// Writes a file into the harness's scratch directory; returns its path.
  std::string writeFile(const std::string& name, const std::string& content) const {
    return test_database_.dir().write(name, content);
  }
  /// Runs `paymentd trace PAYMENT_ID [--json]` against this harness's database.
  ProcessResult trace(const std::string& payment_id, bool json = false) const;
  /// Runs `paymentd --config=... ARGS` on this harness's database, sandbox and lock.
  ProcessResult cli(std::vector<std::string> args) const;

  /// A request to the admin listener with the harness's token (HarnessOptions::admin_token);
  /// `idempotency_key` and `actor` are sent when not empty.
  HttpAnswer admin(const std::string& method, const std::string& path, const std::string& body = "",
                   const std::string& idempotency_key = "",
                   const std::string& actor = "support:kim");
  std::uint16_t adminPort() const { return daemon_->adminPort(); }
  /// The period-end job as a daemon whose clock reads `now` would run it.
  std::size_t cancelDueAt(Timestamp now);

  storage::Database& database() { return daemon_->database(); }
  const std::string& databaseUrl() const { return test_database_.url(); }
  /// Another handle on this harness's database, as a second daemon would open it.
  std::shared_ptr<storage::Database> openDatabase() const { return test_database_.open(); }
  const sandbox::SandboxOptions& sandboxOptions() const { return sandbox_->options(); }
  std::string sandboxUrl() const { return sandbox_->baseUrl(); }
  lock::PaymentLock& lock() { return daemon_->lock(); }
  metrics::Metrics& metrics() { return daemon_->metrics(); }
  std::int64_t count(const std::string& sql) { return queryInt(database(), sql); }
  /// Syncs the test catalog again with `plan_id` at `price`, as a restart
  /// after an operator edited plans.yaml would.
  void changePlanPrice(const std::string& plan_id, std::int64_t price);
  /// An ACTIVE monthly-4 subscription with this id (of user "seeded-<id>"), for
  /// tests that schedule payments without a first billing.
  void seedSubscription(std::int64_t id);
  const portone::PortOneClient& portone() const { return daemon_->portone(); }
  const loader::ActivePlugins& plugins() const { return daemon_->plugins(); }
  const outbox::ScheduleExecutor& schedules() const { return daemon_->schedules(); }
  const outbox::NoticeExecutor& notices() const { return daemon_->notices(); }
  const outbox::EventExecutor& events() const { return daemon_->events(); }
  /// Runs this daemon's outbox worker (real clock) until nothing is due.
  /// @return items attempted.
  std::size_t drainOutbox();
  /// One reconciler pass as a daemon whose clock reads `now` would run it
  /// (the sandbox's clock runs ahead of the system's in recurring tests).
  std::size_t reconcileAt(Timestamp now, std::chrono::seconds grace = std::chrono::seconds(900));
  /// One pass of the payment sweep (on, with `options`) as a daemon whose clock reads
  /// `now` would run it, on `database` (default: this daemon's), under the name `holder`.
  /// A reconciler on this daemon's options from its config (reconcile.*, its sweep
  /// included) started one interval before `now`, whose pass runs at `now`.
  std::size_t reconcileWithSweepAt(Timestamp now);
  pipeline::SweepPass sweepAt(Timestamp now, pipeline::SweepOptions options,
                              storage::Database* database = nullptr,
                              const std::string& holder = "harness");

  // The sandbox's clock and cards.
  Timestamp sandboxNow() const;
  /// Moves the sandbox clock to `time` (if later) and runs the due schedules.
  /// @return the ids of the schedules that ran.
  std::vector<std::string> advanceSandboxTo(Timestamp time);
  /// Registers a card: `declines` declines first, then `then` forever; a
  /// decline's `failure.pgCode` is `decline_code` (the sandbox's CARD_DECLINED when empty).
  void registerCard(const std::string& billing_key, int declines, const std::string& then,
                    const std::string& decline_code = "");
  /// Waits until `sql` counts `expected` (webhooks arrive from the sandbox's thread).
  bool waitForCount(const std::string& sql, std::int64_t expected,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  std::string text(const std::string& sql) { return queryText(database(), sql); }

 private:
  TestDatabase test_database_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::string recurring_payment_type_;
  std::string lock_url_;
  std::string admin_token_;
  bool portone_v1_ = false;
  std::unique_ptr<app::Daemon> daemon_;  // last: stopped before the sandbox it calls
};

}  // namespace paymentd::testing
