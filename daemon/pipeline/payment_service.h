// pipeline/payment_service.h: what happens to one payment, for every entry point.
//
// "received" -> per-payment lock -> the payment from PortOne -> what paymentd
// recorded -> core::decide() -> the step it names (one transaction of
// validators in YAML order and the processor for the payment type; a refund;
// a recorded decline) -> a core::Decision. A business failure rolls back and
// is refunded; an outage refunds nothing. No HTTP here: the webhook route
// (api/webhook_route.h) and the reconciler call the same service.
// Thread-safe: every request thread calls one instance.
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "clock/clock.h"
#include "config/config.h"
#include "config/live.h"
#include "core/decision.h"
#include "core/payment_gateway.h"
#include "loader/active_plugins.h"
#include "lock/payment_lock.h"
#include "metrics/metrics.h"
#include "paymentd/context.h"
#include "pipeline/refunder.h"
#include "recurring/billing_failures.h"
#include "storage/database.h"

namespace paymentd::pipeline {

struct ServiceOptions {
  std::chrono::milliseconds lock_ttl{60000};
  std::string admin_channel = "admin_slack";
  config::RecurringConfig recurring;  // failed renewals: recurring/billing_failures.h
  bool require_live = false;          // portone.require_live: test-channel payments are refunded
};

struct ServiceParts {
  const Clock& clock;
  const core::PaymentGateway& gateway;
  storage::Database& database;
  lock::PaymentLock& lock;
  const loader::ActivePlugins& plugins;
  metrics::Metrics& metrics;
};

/// A verified webhook that names a payment.
struct WebhookDelivery {
  std::string payment_id;
  WebhookEvent event = WebhookEvent::kTransactionPaid;
  std::string type_name;  // as PortOne named it, for the trace
  Claims claims;          // the webhook URL's query parameters
  /// The id the gateway reads the payment by when it is not `payment_id` (V1's imp_uid);
  /// a payment read by it that is not `payment_id` is not this delivery's: not found.
  std::optional<std::string> lookup_id = std::nullopt;
  /// An unsigned webhook (V1's) is only a hint: PortOne's status decides the event, as
  /// for the reconciler's runs, whatever the body said.
  bool status_decides_event = false;
};

/// A payment no webhook finished, as the reconciler found it.
struct ReconcileRequest {
  std::string payment_id;
  Claims claims;       // what paymentd recorded of it (the schedule, the failure)
  std::string reason;  // overdue_schedule, unfinished_refund, unsettled_webhook
  /// An overdue renewal whose schedule item is DEAD: if PortOne has no such
  /// payment, nothing will ever charge it, and the attempt counts as failed.
  bool schedule_dead = false;
};

/// What a reload may change, with the parts built from it; one run takes it
/// once and keeps it to the end.
struct ServiceSettings {
  ServiceSettings(const ServiceParts& parts, ServiceOptions service_options);
  ServiceOptions options;
  Refunder refunder;
  recurring::BillingFailures billing_failures;
};

class PaymentService {
 public:
  PaymentService(ServiceParts parts, ServiceOptions options);

  /// A reload's options: runs that start from now on use them, runs in flight
  /// finish on theirs.
  void apply(ServiceOptions options);

  /// A webhook's payment. One the reconciler must finish (our outage, or not
  /// paid yet) is remembered with its claims, which only the URL carries.
  core::Decision settleWebhook(const WebhookDelivery& delivery) const;

  /// Runs the payment as if PortOne had delivered the webhook its current
  /// status implies (FAILED: Transaction.Failed, else Transaction.Paid), under
  /// the same lock and with the same decisions.
  core::Decision reconcile(const ReconcileRequest& request) const;

 private:
  class Run;

  /// Records how the run started (`stage`: received or reconcile; `why`: the
  /// webhook type or the reconciler's reason, with the claims), takes the
  /// payment's lock, and settles.
  core::Decision runLocked(Run& run, const std::string& stage, const std::string& why) const;
  core::Decision settleLocked(Run& run) const;
  core::Decision fulfil(Run& run) const;
  core::Decision reject(Run& run, const Outcome& outcome) const;
  core::Decision answer(Run& run, const core::Step& step) const;
  /// A renewal PortOne never got the schedule of: a failed attempt, counted
  /// as a decline would be (the failure path of recurring/, once).
  core::Decision failUnscheduled(Run& run) const;

  ServiceParts parts_;
  config::Live<ServiceSettings> settings_;
};

}  // namespace paymentd::pipeline
