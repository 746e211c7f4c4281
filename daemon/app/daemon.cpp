#include "app/daemon.h"

#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Process.h>

#include <utility>

#include "api/admin_routes.h"
#include "api/check_route.h"
#include "config/admin_config.h"
#include "config/fingerprint.h"
#include "config/password_file.h"
#include "core/decision.h"
#include "portone/api_error.h"
#include "portone/webhook_event.h"
#include "storage/errors.h"
#include "storage/migrations.h"
#include "storage/outbox_stats.h"
#include "storage/plan_catalog.h"
#include "storage/storage_config.h"

namespace paymentd::app {
namespace {

constexpr auto kDatabaseProbeInterval = std::chrono::seconds(5);  // /readyz's SELECT 1 at most
constexpr std::size_t kReconcileBatch = 50;
constexpr std::size_t kPeriodEndBatch = 100;

std::string defaultWorkerId() {
  return Poco::Environment::nodeName() + ":" + std::to_string(Poco::Process::id());
}

}  // namespace

metrics::KnownLabels Daemon::knownMetricLabels() {
  metrics::KnownLabels known{portone::webhookEventTypeNames(),
                             portone::documentedErrorTypes(),
                             {},
                             portone::PortOneClient::endpointNames()};
  known.webhook_types.emplace_back(api::kV1WebhookType);
  for (const std::string& endpoint : portone::V1Client::endpointNames()) {
    known.portone_endpoints.push_back(endpoint);
  }
  for (const core::Verdict verdict : core::kAllVerdicts) {
    known.outcomes.emplace_back(core::verdictName(verdict));
  }
  return known;
}

pipeline::ServiceOptions Daemon::serviceOptions(const config::Config& config) {
  return pipeline::ServiceOptions{std::chrono::milliseconds(config.pipeline.lock_ttl_ms),
                                  config.pipeline.admin_channel, config.recurring,
                                  config.portone.require_live};
}

Daemon::Daemon(DaemonInputs inputs)
    : config_(std::move(inputs.config)), clock_(inputs.clock), plugins_(std::move(inputs.plugins)) {
  metrics_.setConfigHash(config::configFingerprint(config_));
  // PortOne and the lock first: secrets are read once, here, and a missing file stops the
  // start before the database is touched.
  try {
    portone::PortOneClientOptions portone_options =
        portone::PortOneClient::optionsFromConfig(config_.portone);
    const portone::CallObserver count_call = [this](const std::string& endpoint,
                                                    const std::string& outcome) {
      metrics_.countPortOneCall(endpoint, outcome);
    };
    portone_options.on_call = count_call;
    portone_ = std::make_unique<portone::PortOneClient>(std::move(portone_options), clock_);
    if (config_.portone.v1) {
      portone::V1ClientOptions v1_options =
          portone::V1Client::optionsFromConfig(*config_.portone.v1, config_.portone);
      v1_options.on_call = count_call;
      v1_client_ = std::make_unique<portone::V1Client>(std::move(v1_options), clock_);
    }
    verifier_ = std::make_unique<config::Live<portone::WebhookVerifier>>(
        std::make_shared<const portone::WebhookVerifier>(portone::WebhookVerifier::fromSecretFiles(
            config_.portone.webhook_secret_files, clock_)));
    lock::LockOptions lock_options;
    lock_options.lease = std::chrono::milliseconds(config_.pipeline.lock_lease_ms);
    if (!config_.lock_password_file.empty()) {
      const config::PasswordRead read = config::readPasswordFile(config_.lock_password_file);
      if (!read.password) {
        throw std::runtime_error("cannot read lock_password_file " + config_.lock_password_file +
                                 ": " + read.problem);
      }
      lock_options.password = read.password;
    }
    lock_ = lock::makePaymentLock(config_.lock, lock_options);
  } catch (const std::exception& e) {
    throw StartError("portone", e.what());
  }
  {
    config::ConfigProblems problems;
    auto target = outbox::readEventTarget(config_.events, clock_, problems);
    if (!problems.empty()) throw StartError("events", problems.lines().front());
    events_ = std::make_unique<outbox::EventExecutor>(clock_, std::move(target));
  }
  // The database is migrated and the catalog synced before the port opens.
  try {
    database_ = storage::Database::open(config_.storage, storage::databaseOptions(config_));
    database_->setEventsEnabled(config_.events.has_value());
    const storage::MigrationReport migrated = storage::migrate(*database_);
    start_notes_.push_back("database " + database_->display() +
                           " schema_version=" + std::to_string(migrated.to) +
                           " migrated_from=" + std::to_string(migrated.from));
    const storage::CatalogSyncReport synced = storage::syncPlanCatalog(*database_, inputs.plans);
    start_notes_.push_back("catalog " + config_.catalog +
                           " synced: plans=" + std::to_string(synced.upserted) +
                           " retired=" + std::to_string(synced.retired) +
                           " deleted=" + std::to_string(synced.deleted));
  } catch (const storage::SchemaTooNew& e) {
    throw StartError("schema", e.what());  // another start cannot help: a config problem
  } catch (const std::exception& e) {
    throw StartError("storage", e.what());
  }

  parser_ = std::make_unique<portone::WebhookEventParser>(config_.portone.store_id,
                                                          api::handledWebhookTypes());
  gateway_ = std::make_unique<portone::V2Gateway>(*portone_);
  service_ = std::make_unique<pipeline::PaymentService>(
      pipeline::ServiceParts{clock_, *gateway_, *database_, *lock_, plugins_, metrics_},
      serviceOptions(config_));
  outside_ = std::make_unique<lifecycle::OutsideChanges>(
      lifecycle::LifecycleParts{*database_, clock_, *gateway_}, *lock_,
      lifecycle::OutsideChangeOptions{std::chrono::milliseconds(config_.pipeline.lock_ttl_ms),
                                      config_.pipeline.admin_channel,
                                      config_.recurring.alimtalk_channel});
  webhook_route_ = std::make_unique<api::WebhookRoute>(
      api::WebhookRouteParts{*verifier_, *parser_, *service_, *outside_, metrics_});
  if (v1_client_) {
    v1_gateway_ = std::make_unique<portone::V1Gateway>(*v1_client_);
    v1_service_ = std::make_unique<pipeline::PaymentService>(
        pipeline::ServiceParts{clock_, *v1_gateway_, *database_, *lock_, plugins_, metrics_},
        serviceOptions(config_));
    v1_webhook_route_ = std::make_unique<api::V1WebhookRoute>(api::V1WebhookRouteParts{
        *v1_service_, *database_, metrics_, config_.recurring.payment_type});
  }

  operators_ = std::make_unique<lifecycle::OperatorService>(
      lifecycle::LifecycleParts{*database_, clock_, *gateway_}, *lock_,
      std::chrono::milliseconds(config_.pipeline.lock_ttl_ms));
  if (config_.admin.enabled) {
    // The same read --check-config checked (config/admin_config.h).
    const config::PasswordRead read = config::readPasswordFile(config_.admin.token_file);
    if (!read.password || read.password->size() < config::kMinAdminTokenLength) {
      throw StartError("admin",
                       "cannot use the admin token in " + config_.admin.token_file +
                           (read.password ? ": shorter than 16 characters" : ": " + read.problem));
    }
    std::string token = *read.password;
    admin_router_ = std::make_shared<http::Router>();
    api::addAdminRoutes(*admin_router_, *operators_, std::move(token));
    http::HttpServerOptions admin;
    admin.host = config_.admin.host;
    admin.port = config_.admin.port;
    admin.threads = 4;  // people and back-office tools, not PortOne
    admin.max_connections = 64;
    admin.header_timeout = std::chrono::milliseconds(config_.http.header_timeout_ms);
    admin.body_timeout = std::chrono::milliseconds(config_.http.body_timeout_ms);
    admin.max_body_bytes = 16 * 1024;
    admin_server_ = std::make_unique<http::HttpServer>(admin, admin_router_);
  }

  probe_ = std::make_shared<storage::ReadinessProbe>(*database_, kDatabaseProbeInterval);
  readiness_.add("database", [probe = probe_] { return probe->check(); });
  readiness_.add("lock", [this] { return lock_->unavailableReason(); });
  router_ = std::make_shared<http::Router>();
  http::addHealthRoutes(*router_, readiness_);
  metrics::addMetricsRoute(*router_, metrics_, [this] {
    try {
      const storage::OutboxStats outbox = storage::outboxStats(*database_);
      metrics_.setOutboxCounts(outbox.pending, outbox.dead);
    } catch (const storage::Error& e) {
      Poco::Logger::get("paymentd")
          .warning(std::string("metrics: cannot count the outbox: ") + e.what());
    }
  });
  router_->setObserver([this](const std::string& route, int status, double seconds) {
    metrics_.countHttpRequest(route, status, seconds);
  });
  api::addWebhookRoute(*router_, *webhook_route_);
  if (v1_webhook_route_) api::addV1WebhookRoute(*router_, *v1_webhook_route_);
  api::addCheckRoute(*router_, *database_);

  http::HttpServerOptions options;
  options.host = config_.http.host;
  options.port = config_.http.port;
  options.threads = config_.http.threads;
  options.max_body_bytes = config_.http.max_body_bytes;
  options.keep_alive_timeout = std::chrono::seconds(config_.http.keep_alive_timeout_s);
  options.max_connections = static_cast<std::size_t>(config_.http.max_connections);
  options.header_timeout = std::chrono::milliseconds(config_.http.header_timeout_ms);
  options.body_timeout = std::chrono::milliseconds(config_.http.body_timeout_ms);
  server_ = std::make_unique<http::HttpServer>(options, router_);

  const std::string worker_id = inputs.worker_id.empty() ? defaultWorkerId() : inputs.worker_id;
  worker_options_ = workerOptions(config_, worker_id);
}

outbox::WorkerOptions Daemon::workerOptions(const config::Config& config, std::string worker_id) {
  return outbox::WorkerOptions{
      std::move(worker_id),
      std::chrono::milliseconds(config.outbox.poll_interval_ms),
      static_cast<std::size_t>(config.outbox.batch_size),
      std::chrono::seconds(config.outbox.lease_s),
      config.outbox.max_attempts,
      outbox::BackoffPolicy{std::chrono::milliseconds(config.outbox.backoff_base_ms),
                            std::chrono::milliseconds(config.outbox.backoff_max_ms)},
      config.pipeline.admin_channel};
}

void Daemon::apply(const config::Config& next, std::shared_ptr<const loader::PluginSet> plugins,
                   const std::optional<std::vector<Plan>>& changed_plans,
                   std::shared_ptr<const portone::WebhookVerifier> verifier,
                   std::optional<outbox::EventTarget> events) {
  // First: if the database refuses, nothing else has changed.
  if (changed_plans) storage::syncPlanCatalog(*database_, *changed_plans);
  plugins_.replace(std::move(plugins));
  verifier_->replace(std::move(verifier));
  service_->apply(serviceOptions(next));
  if (v1_service_) v1_service_->apply(serviceOptions(next));
  portone_->setTimeouts(next.portone);
  if (v1_client_) v1_client_->setTimeouts(next.portone);
  // Built by listen(); a daemon that never listened has none yet.
  if (worker_) worker_->apply(workerOptions(next, ""));
  if (notices_) notices_->setGrace(std::chrono::seconds(next.outbox.notice_grace_s));
  if (reconciler_) reconciler_->apply(reconcilerOptionsOf(next));
  if (period_end_) period_end_->setInterval(std::chrono::seconds(next.reconcile.interval_s));
  // The executor first: an event enqueued from now on finds its receiver.
  events_->apply(std::move(events));
  database_->setEventsEnabled(next.events.has_value());
}

Daemon::~Daemon() {
  stop(std::chrono::milliseconds(0));
}

void Daemon::listen() {
  try {
    server_->start();
  } catch (const Poco::Exception& e) {
    throw StartError("listen", "cannot listen on " + config_.http.host + ":" +
                                   std::to_string(config_.http.port) + ": " + e.displayText());
  }
  if (admin_server_) {
    try {
      admin_server_->start();
    } catch (const Poco::Exception& e) {
      throw StartError("listen", "cannot listen on " + config_.admin.host + ":" +
                                     std::to_string(config_.admin.port) +
                                     " (admin): " + e.displayText());
    }
  }
  const std::string public_url = config_.public_url.empty()
                                     ? "http://" + config_.http.host + ":" + std::to_string(port())
                                     : config_.public_url;
  schedules_ = std::make_unique<outbox::ScheduleExecutor>(
      *portone_, *database_, public_url, config_.recurring.payment_type, v1_client_.get());
  notices_ = std::make_unique<outbox::NoticeExecutor>(
      plugins_, *database_, std::chrono::seconds(config_.outbox.notice_grace_s));
  worker_ = std::make_unique<outbox::OutboxWorker>(
      outbox::WorkerParts{clock_, *database_, *schedules_, *notices_, *events_}, worker_options_);
  sweep_ = std::make_unique<pipeline::PaymentSweep>(clock_, *database_, *gateway_, metrics_,
                                                    worker_options_.worker_id);
  reconciler_ = std::make_unique<pipeline::Reconciler>(
      clock_, *database_, *service_, reconcilerOptions(), sweep_.get(), v1_service_.get());
  period_end_ = std::make_unique<PeriodicLoop>(
      "paymentd.lifecycle", std::chrono::seconds(config_.reconcile.interval_s),
      [this] { return operators_->subscriptions().cancelDue(kPeriodEndBatch) == kPeriodEndBatch; });
}

std::string Daemon::stalledLoop(std::chrono::steady_clock::duration limit) const {
  if (worker_ && worker_->stalled(limit)) return "outbox";
  if (reconciler_ && reconciler_->stalled(limit)) return "reconcile";
  if (period_end_ && period_end_->stalled(limit)) return "period-end";
  return "";
}

pipeline::ReconcilerOptions Daemon::reconcilerOptions() const {
  return reconcilerOptionsOf(config_);
}

pipeline::ReconcilerOptions Daemon::reconcilerOptionsOf(const config::Config& config) {
  pipeline::ReconcilerOptions options{std::chrono::seconds(config.reconcile.interval_s),
                                      std::chrono::seconds(config.reconcile.grace_s),
                                      kReconcileBatch, config.recurring.payment_type};
  options.admin_channel = config.pipeline.admin_channel;
  const config::SweepConfig& sweep = config.reconcile.sweep;
  options.sweep.enabled = sweep.enabled;
  options.sweep.lookback = std::chrono::seconds(sweep.lookback_s);
  options.sweep.overlap = std::chrono::seconds(sweep.overlap_s);
  options.sweep.page_size = static_cast<std::size_t>(sweep.page_size);
  options.sweep.max_per_pass = static_cast<std::size_t>(sweep.max_per_pass);
  options.sweep.max_resends = sweep.max_resends;
  return options;
}

void Daemon::startBackground() {
  worker_->start();
  reconciler_->start();
  period_end_->start();
}

bool Daemon::stop(std::chrono::milliseconds drain) {
  if (std::exchange(stopped_, true)) return true;
  readiness_.setDraining();
  const bool drained = server_ ? server_->shutdown(drain) : true;
  if (admin_server_) admin_server_->shutdown(drain);
  if (period_end_) period_end_->stop();
  if (reconciler_) reconciler_->stop();  // a payment in flight finishes; the next start looks again
  if (worker_)
    worker_->stop();  // an item in flight finishes; claims come back when their lease ends
  return drained;
}

}  // namespace paymentd::app
