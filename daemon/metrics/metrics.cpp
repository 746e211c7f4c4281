#include "metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <initializer_list>

#include "build_info.h"
#include "metrics/process_metrics.h"
#include "paymentd/version.h"

namespace paymentd::metrics {
namespace {

const prometheus::Histogram::BucketBoundaries kLatencyBuckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                              0.25,  0.5,   1,    2.5,   5,    10};

// Routes are the router's patterns and plugins the config's: a few, named by code and config.
constexpr std::size_t kMaxRoutes = 16;
constexpr std::size_t kMaxPlugins = 32;
constexpr std::size_t kMaxRefundReasons = 64;
constexpr std::size_t kMaxCodeLength = 64;

// A failure code as the SDK defines it: UPPER_SNAKE, short.
bool isFailureCode(const std::string& code) {
  return !code.empty() && code.size() <= kMaxCodeLength &&
         std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
         });
}

std::vector<std::string> plus(std::vector<std::string> values,
                              std::initializer_list<const char*> more) {
  values.insert(values.end(), more.begin(), more.end());
  return values;
}

std::string statusLabel(int status) {
  return status >= 100 && status <= 599 ? std::to_string(status) : kOtherLabel;
}

}  // namespace

Metrics::Metrics(const KnownLabels& known)
    : registry_(std::make_shared<prometheus::Registry>()),
      http_requests_(prometheus::BuildCounter()
                         .Name("paymentd_http_requests_total")
                         .Help("HTTP requests answered, by route and status")
                         .Register(*registry_)),
      http_duration_(prometheus::BuildHistogram()
                         .Name("paymentd_http_request_duration_seconds")
                         .Help("Time to answer an HTTP request, by route")
                         .Register(*registry_)),
      webhooks_(prometheus::BuildCounter()
                    .Name("paymentd_webhooks_total")
                    .Help("Webhooks answered, by type and outcome")
                    .Register(*registry_)),
      stage_duration_(prometheus::BuildHistogram()
                          .Name("paymentd_stage_duration_seconds")
                          .Help("Time spent in each pipeline stage")
                          .Register(*registry_)),
      refunds_(prometheus::BuildCounter()
                   .Name("paymentd_refunds_total")
                   .Help("Refund attempts, by the failure that caused them and their result")
                   .Register(*registry_)),
      lock_contention_(prometheus::BuildCounter()
                           .Name("paymentd_lock_contention_total")
                           .Help("Webhooks answered 409 because another worker held the payment")
                           .Register(*registry_)
                           .Add({})),
      plugin_duration_(prometheus::BuildHistogram()
                           .Name("paymentd_plugin_call_duration_seconds")
                           .Help("Time spent in plugin calls, by plugin name@version")
                           .Register(*registry_)),
      portone_calls_(prometheus::BuildCounter()
                         .Name("paymentd_portone_calls_total")
                         .Help("Calls to PortOne's API, by endpoint and outcome")
                         .Register(*registry_)),
      reconciled_(prometheus::BuildCounter()
                      .Name("paymentd_reconciled_total")
                      .Help("Payments no webhook finished, taken up by the reconciler, by reason "
                            "and outcome")
                      .Register(*registry_)),
      payment_sweep_(prometheus::BuildCounter()
                         .Name("paymentd_payment_sweep_total")
                         .Help("Paid payments the payment sweep looked at, by what it did")
                         .Register(*registry_)),
      outbox_pending_(prometheus::BuildGauge()
                          .Name("paymentd_outbox_pending")
                          .Help("Outbox items waiting to be carried out")
                          .Register(*registry_)
                          .Add({})),
      outbox_dead_(prometheus::BuildGauge()
                       .Name("paymentd_outbox_dead")
                       .Help("Outbox items given up after their last attempt")
                       .Register(*registry_)
                       .Add({})),
      config_reloads_(prometheus::BuildCounter()
                          .Name("paymentd_config_reloads_total")
                          .Help("Config reloads (SIGHUP), by result")
                          .Register(*registry_)),
      config_hash_(prometheus::BuildGauge()
                       .Name("paymentd_config_hash")
                       .Help("Fingerprint of the loaded config and catalog files (the same on "
                             "daemons running the same files)")
                       .Register(*registry_)
                       .Add({})),
      routes_(LabelValues::firstSeen(kMaxRoutes)),
      webhook_types_(LabelValues::closed(plus(known.webhook_types, {"unverified"}))),
      outcomes_(LabelValues::closed(known.outcomes)),
      stages_(LabelValues::closed({"lock", "portone_get", "transaction", "refund"})),
      refund_reasons_(LabelValues::firstSeen(kMaxRefundReasons, isFailureCode)),
      refund_results_(LabelValues::closed({"done", "failed"})),
      plugins_(LabelValues::firstSeen(kMaxPlugins)),
      endpoints_(LabelValues::closed(known.portone_endpoints)),
      portone_outcomes_(
          LabelValues::closed(plus(known.portone_error_types, {"ok", "transient", "error"}))),
      reconcile_reasons_(
          LabelValues::closed({"overdue_schedule", "unfinished_refund", "unsettled_webhook"})),
      sweep_outcomes_(
          LabelValues::closed({"known", "found", "resent", "unresolved", "resolved", "transient"})),
      reload_results_(LabelValues::closed({"applied", "restart_needed", "refused"})) {
  prometheus::BuildGauge()
      .Name("paymentd_build_info")
      .Help("The running paymentd's version and plugin API version")
      .Register(*registry_)
      .Add({{"version", kVersion},
            {"plugin_api", std::to_string(kPluginApiVersion.major) + "." +
                               std::to_string(kPluginApiVersion.minor)}})
      .Set(1);
  initialiseKnownSeries(known);
}

// Every series an alert may watch exists at 0 from the start, so `rate()` and `absent()`
// see a value before the first event (and a restart reads as a reset, not a gap).
void Metrics::initialiseKnownSeries(const KnownLabels& known) {
  for (const char* result : {"applied", "restart_needed", "refused"}) {
    config_reloads_.Add({{"result", result}});
  }
  for (const char* outcome : {"known", "found", "resent", "unresolved", "resolved", "transient"}) {
    payment_sweep_.Add({{"outcome", outcome}});
  }
  for (const char* reason : {"overdue_schedule", "unfinished_refund", "unsettled_webhook"}) {
    for (const std::string& outcome : known.outcomes) {
      reconciled_.Add({{"reason", reason}, {"outcome", outcome}});
    }
  }
  for (const char* type : {"Transaction.Paid", "Transaction.Failed"}) {
    if (std::find(known.webhook_types.begin(), known.webhook_types.end(), type) ==
        known.webhook_types.end()) {
      continue;
    }
    for (const std::string& outcome : known.outcomes) {
      webhooks_.Add({{"type", type}, {"outcome", outcome}});
    }
  }
  // A refund's reason is the failure code, known only when it happens: until then the
  // results are counted under `other`, which every unseen code would join anyway.
  for (const char* result : {"done", "failed"}) {
    refunds_.Add({{"reason", kOtherLabel}, {"result", result}});
  }
  for (const std::string& endpoint : known.portone_endpoints) {
    for (const char* outcome : {"ok", "transient", "error"}) {
      portone_calls_.Add({{"endpoint", endpoint}, {"outcome", outcome}});
    }
  }
}

std::string Metrics::render() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  for (auto& family : processMetrics()) families.push_back(std::move(family));
  return prometheus::TextSerializer().Serialize(families);
}

void Metrics::countHttpRequest(const std::string& route, int status, double seconds) {
  const std::string route_label = routes_(route);
  http_requests_.Add({{"route", route_label}, {"status", statusLabel(status)}}).Increment();
  http_duration_.Add({{"route", route_label}}, kLatencyBuckets).Observe(seconds);
}

void Metrics::countWebhook(const std::string& type, const std::string& outcome) {
  webhooks_.Add({{"type", webhook_types_(type)}, {"outcome", outcomes_(outcome)}}).Increment();
}

void Metrics::observeStage(const std::string& stage, double seconds) {
  stage_duration_.Add({{"stage", stages_(stage)}}, kLatencyBuckets).Observe(seconds);
}

void Metrics::countRefund(const std::string& reason, const std::string& result) {
  refunds_.Add({{"reason", refund_reasons_(reason)}, {"result", refund_results_(result)}})
      .Increment();
}

void Metrics::countReconciled(const std::string& reason, const std::string& outcome) {
  reconciled_.Add({{"reason", reconcile_reasons_(reason)}, {"outcome", outcomes_(outcome)}})
      .Increment();
}

void Metrics::countPaymentSweep(const std::string& outcome) {
  payment_sweep_.Add({{"outcome", sweep_outcomes_(outcome)}}).Increment();
}

void Metrics::countConfigReload(const std::string& result) {
  config_reloads_.Add({{"result", reload_results_(result)}}).Increment();
}

void Metrics::setConfigHash(std::uint64_t hash) {
  // A gauge is a double: 52 bits stay exact.
  config_hash_.Set(static_cast<double>(hash & ((std::uint64_t{1} << 52) - 1)));
}

void Metrics::countLockContention() {
  lock_contention_.Increment();
}

void Metrics::observePluginCall(const std::string& plugin, double seconds) {
  plugin_duration_.Add({{"plugin", plugins_(plugin)}}, kLatencyBuckets).Observe(seconds);
}

void Metrics::countPortOneCall(const std::string& endpoint, const std::string& outcome) {
  portone_calls_.Add({{"endpoint", endpoints_(endpoint)}, {"outcome", portone_outcomes_(outcome)}})
      .Increment();
}

void Metrics::setOutboxCounts(std::int64_t pending, std::int64_t dead) {
  outbox_pending_.Set(static_cast<double>(pending));
  outbox_dead_.Set(static_cast<double>(dead));
}

void addMetricsRoute(http::Router& router, const Metrics& metrics, std::function<void()> refresh) {
  router.add("GET", "/metrics", [&metrics, refresh](const http::HttpRequest&) {
    if (refresh) refresh();
    http::HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.render();
    return response;
  });
}

}  // namespace paymentd::metrics
