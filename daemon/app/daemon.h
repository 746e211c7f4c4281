// app/daemon.h: the one wiring of paymentd's object graph, from a Config.
//
// main, the tests' harness and the benchmarks build the daemon through this
// class alone, so what they run is what production runs. Construction opens
// and migrates the database, syncs the catalog and reads the secrets (each
// failure a StartError naming its stage); nothing listens and no thread runs
// until listen() and startBackground(). Members are declared in build order
// and destroyed in reverse, so each part outlives everything that uses it.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/v1_webhook_route.h"
#include "api/webhook_route.h"
#include "clock/clock.h"
#include "clock/periodic_loop.h"
#include "config/config.h"
#include "config/live.h"
#include "http/health_routes.h"
#include "http/http_server.h"
#include "http/router.h"
#include "lifecycle/operator_service.h"
#include "loader/active_plugins.h"
#include "loader/plugin_set.h"
#include "lock/payment_lock.h"
#include "metrics/metrics.h"
#include "outbox/event_executor.h"
#include "outbox/notice_executor.h"
#include "outbox/outbox_worker.h"
#include "outbox/schedule_executor.h"
#include "paymentd/payment.h"
#include "pipeline/payment_service.h"
#include "pipeline/reconciler.h"
#include "portone/api_client.h"
#include "portone/v1_client.h"
#include "portone/v1_gateway.h"
#include "portone/v2_gateway.h"
#include "portone/webhook_event.h"
#include "portone/webhook_verifier.h"
#include "storage/database.h"
#include "storage/readiness_probe.h"

namespace paymentd::app {

/// Why the daemon cannot start; `stage` is storage, portone, lock, admin or listen.
class StartError : public std::runtime_error {
 public:
  StartError(std::string stage, const std::string& what)
      : std::runtime_error(what), stage_(std::move(stage)) {}
  const std::string& stage() const { return stage_; }

 private:
  std::string stage_;
};

struct DaemonInputs {
  config::Config config;
  std::shared_ptr<const loader::PluginSet> plugins;  // loaded and checked
  std::vector<Plan> plans;                           // the catalog, synced at start
  const Clock& clock = SystemClock::instance();      // tests may pass another
  std::string worker_id;                             // empty: host:pid
};

class Daemon {
 public:
  /// @throws StartError.
  explicit Daemon(DaemonInputs inputs);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Binds the HTTP port, starts serving, and builds the outbox worker (whose
  /// schedules name the daemon's URL: `public_url`, else http://host:port as
  /// bound). @throws StartError("listen", ...).
  void listen();
  /// Starts the outbox worker and the reconciler on their threads.
  void startBackground();
  /// Stops taking requests (drains for `drain`), then the background threads.
  /// @return whether every request in flight finished within `drain`.
  bool stop(std::chrono::milliseconds drain);

  const config::Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  std::uint16_t port() const { return server_->port(); }
  storage::Database& database() { return *database_; }
  const portone::PortOneClient& portone() const { return *portone_; }
  lock::PaymentLock& lock() { return *lock_; }
  loader::ActivePlugins& plugins() { return plugins_; }
  const loader::ActivePlugins& plugins() const { return plugins_; }
  metrics::Metrics& metrics() { return metrics_; }
  const pipeline::PaymentService& service() const { return *service_; }
  /// The service on PortOne V1's gateway; nullptr without `portone.v1`.
  const pipeline::PaymentService* v1Service() const { return v1_service_.get(); }
  const core::PaymentGateway& gateway() const { return *gateway_; }
  /// PortOne's V1 API; nullptr without `portone.v1`.
  const portone::V1Client* v1() const { return v1_client_.get(); }
  // After listen():
  const outbox::ScheduleExecutor& schedules() const { return *schedules_; }
  const outbox::NoticeExecutor& notices() const { return *notices_; }
  outbox::OutboxWorker& worker() { return *worker_; }
  /// The payment sweep the reconciler runs (pipeline/payment_sweep.h).
  const pipeline::PaymentSweep& sweep() const { return *sweep_; }
  pipeline::ReconcilerOptions reconcilerOptions() const;
  /// The operator API (docs/operators.md), also when no admin listener is configured.
  const lifecycle::OperatorService& operators() const { return *operators_; }
  /// The admin listener's port; 0 without an `admin:` section.
  std::uint16_t adminPort() const { return admin_server_ ? admin_server_->port() : 0; }
  /// The background loop (outbox, reconcile, period end) whose pass has run longer than
  /// `limit`, or "" when none has: the watchdog withholds its ping while one is wedged.
  std::string stalledLoop(std::chrono::steady_clock::duration limit) const;
  /// Facts start-up logs: the schema migration and the catalog sync.
  const std::vector<std::string>& startNotes() const { return start_notes_; }

  /// A reload, checked whole by the caller (app/reloader.h): syncs a changed
  /// catalog first (a failure throws storage::Error and changes nothing), then swaps
  /// the plugins, the webhook secrets, PortOne's timeouts, the payment service's, the outbox
  /// worker's and the reconciler's options, and where events go.
  /// Sections that need a restart must hold the running values.
  void apply(const config::Config& next, std::shared_ptr<const loader::PluginSet> plugins,
             const std::optional<std::vector<Plan>>& changed_plans,
             std::shared_ptr<const portone::WebhookVerifier> verifier,
             std::optional<outbox::EventTarget> events);
  /// Where events go now, to compare a reload's with.
  const outbox::EventExecutor& events() const { return *events_; }
  /// The verifier of the secrets in use, to compare a reload's with.
  std::shared_ptr<const portone::WebhookVerifier> verifier() const { return verifier_->current(); }

 private:
  static metrics::KnownLabels knownMetricLabels();
  static pipeline::ServiceOptions serviceOptions(const config::Config& config);
  static outbox::WorkerOptions workerOptions(const config::Config& config, std::string worker_id);
  static pipeline::ReconcilerOptions reconcilerOptionsOf(const config::Config& config);

  config::Config config_;
  const Clock& clock_;
  loader::ActivePlugins plugins_;
  metrics::Metrics metrics_{knownMetricLabels()};
  std::vector<std::string> start_notes_;
  std::shared_ptr<storage::Database> database_;
  std::unique_ptr<portone::PortOneClient> portone_;
  std::unique_ptr<config::Live<portone::WebhookVerifier>> verifier_;
  std::unique_ptr<lock::PaymentLock> lock_;
  std::unique_ptr<portone::WebhookEventParser> parser_;
  std::unique_ptr<portone::V2Gateway> gateway_;
  std::unique_ptr<pipeline::PaymentService> service_;
  std::unique_ptr<lifecycle::OutsideChanges> outside_;
  std::unique_ptr<api::WebhookRoute> webhook_route_;
  // Only with `portone.v1`: V1 subscriptions' renewals, through the same service.
  std::unique_ptr<portone::V1Client> v1_client_;
  std::unique_ptr<portone::V1Gateway> v1_gateway_;
  std::unique_ptr<pipeline::PaymentService> v1_service_;
  std::unique_ptr<api::V1WebhookRoute> v1_webhook_route_;
  std::unique_ptr<lifecycle::OperatorService> operators_;
  std::shared_ptr<storage::ReadinessProbe> probe_;
  http::Readiness readiness_;
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<http::HttpServer> server_;
  std::shared_ptr<http::Router> admin_router_;
  std::unique_ptr<http::HttpServer> admin_server_;  // only with an `admin:` section
  outbox::WorkerOptions worker_options_;
  std::unique_ptr<outbox::ScheduleExecutor> schedules_;
  std::unique_ptr<outbox::NoticeExecutor> notices_;
  std::unique_ptr<outbox::EventExecutor> events_;  // built at start: a reload may swap its target
  std::unique_ptr<outbox::OutboxWorker> worker_;
  std::unique_ptr<pipeline::PaymentSweep> sweep_;  // before the reconciler that runs it
  std::unique_ptr<pipeline::Reconciler> reconciler_;
  std::unique_ptr<PeriodicLoop> period_end_;  // cancels at period end when the period ends
  bool stopped_ = false;
};

}  // namespace paymentd::app
