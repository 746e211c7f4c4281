// metrics/metrics.h: the daemon's Prometheus metrics, served at GET /metrics.
//
// prometheus-cpp (Debian's package) keeps the registry and writes the text
// format; our own HTTP server serves it (no second listener). Rooms add their
// families here, one member each, so every metric name is in one place. Every
// label value passes through its closed set (metrics/label_values.h): what a
// caller passes from outside it is counted as "other".
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "metrics/label_values.h"

namespace paymentd::metrics {

/// The label values only other rooms know; app::Daemon fills them (PortOne's from portone,
/// the verdict names from core). Every other label's set is fixed here; see LabelValues.
struct KnownLabels {
  std::vector<std::string> webhook_types;        // Transaction.Paid, ...; "unverified" is added
  std::vector<std::string> portone_error_types;  // PAYMENT_NOT_FOUND, ...
  std::vector<std::string> outcomes;             // fulfilled, refunded, ...
  std::vector<std::string> portone_endpoints;    // get_payment, cancel_payment, ...
};

class Metrics {
 public:
  explicit Metrics(const KnownLabels& known = {});

  /// Text exposition format 0.0.4 of every metric.
  std::string render() const;

  /// Counts one answered HTTP request; `route` is the route's pattern, never the
  /// raw path (a payment id in a label would grow without bound).
  void countHttpRequest(const std::string& route, int status, double seconds);

  /// One webhook answered: its type (Transaction.Paid, ...) and how it ended
  /// (fulfilled, already_fulfilled, refunded, already_processing, ...).
  void countWebhook(const std::string& type, const std::string& outcome);
  /// One pipeline stage (lock, portone_get, transaction, refund, ...) took `seconds`.
  void observeStage(const std::string& stage, double seconds);
  /// One refund attempt: the failure code that caused it and its result (done, failed).
  void countRefund(const std::string& reason, const std::string& result);
  /// Another worker held a payment's lock.
  void countLockContention();
  /// One plugin call (name@version) took `seconds`.
  void observePluginCall(const std::string& plugin, double seconds);
  /// Items waiting in the outbox and items given up (dead), as last counted.
  void setOutboxCounts(std::int64_t pending, std::int64_t dead);
  /// One call to PortOne's API: `endpoint` (get_payment, cancel_payment, ...) and its
  /// outcome (ok, transient, or PortOne's error type).
  void countPortOneCall(const std::string& endpoint, const std::string& outcome);
  /// One payment the reconciler took up: why (overdue_schedule, unfinished_refund)
  /// and how its run ended (the outcome a webhook would have got).
  void countReconciled(const std::string& reason, const std::string& outcome);
  /// One payment the payment sweep looked at, by what it did: known (paymentd has it),
  /// found (PAID with no record), resent, unresolved (left to an operator), resolved (its
  /// record appeared after a resend), transient (PortOne could not be asked).
  void countPaymentSweep(const std::string& outcome);
  /// One SIGHUP: applied (every change taken), restart_needed (the rest taken;
  /// some keys wait for a restart) or refused (nothing changed).
  void countConfigReload(const std::string& result);
  /// The loaded config's fingerprint (config/fingerprint.h), as a number.
  void setConfigHash(std::uint64_t hash);

 private:
  void initialiseKnownSeries(const KnownLabels& known);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_duration_;
  prometheus::Family<prometheus::Counter>& webhooks_;
  prometheus::Family<prometheus::Histogram>& stage_duration_;
  prometheus::Family<prometheus::Counter>& refunds_;
  prometheus::Counter& lock_contention_;
  prometheus::Family<prometheus::Histogram>& plugin_duration_;
  prometheus::Family<prometheus::Counter>& portone_calls_;
  prometheus::Family<prometheus::Counter>& reconciled_;
  prometheus::Family<prometheus::Counter>& payment_sweep_;
  prometheus::Gauge& outbox_pending_;
  prometheus::Gauge& outbox_dead_;
  prometheus::Family<prometheus::Counter>& config_reloads_;
  prometheus::Gauge& config_hash_;

  LabelValues routes_;
  LabelValues webhook_types_;
  LabelValues outcomes_;
  LabelValues stages_;
  LabelValues refund_reasons_;
  LabelValues refund_results_;
  LabelValues plugins_;
  LabelValues endpoints_;
  LabelValues portone_outcomes_;
  LabelValues reconcile_reasons_;
  LabelValues sweep_outcomes_;
  LabelValues reload_results_;
};

/// Adds GET /metrics. `refresh`, when given, runs before each scrape (to count
/// what is cheaper to count on demand than to track, such as the outbox).
void addMetricsRoute(http::Router& router, const Metrics& metrics,
                     std::function<void()> refresh = {});

}  // namespace paymentd::metrics
