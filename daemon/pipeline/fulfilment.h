// pipeline/fulfilment.h: one payment's work, in one database transaction.
//
// The validators in YAML order, then the processor the payment type routes to
// (its canary for the chosen users), then the fulfilment record; commit only
// when every step said ok. Leaving early rolls everything back. The trace's
// steps are buffered meanwhile (SQLite has one writer: this transaction).
#pragma once

#include <functional>

#include "clock/clock.h"
#include "core/payment_gateway.h"
#include "loader/plugin_set.h"
#include "metrics/metrics.h"
#include "paymentd/context.h"
#include "paymentd/outcome.h"
#include "paymentd/result.h"
#include "pipeline/payment_trace.h"
#include "storage/database.h"

namespace paymentd::pipeline {

struct FulfilmentParts {
  const Clock& clock;
  storage::Database& database;
  metrics::Metrics& metrics;
  /// True once the payment's lock lease was lost (lock::LeaseGuard::lost()):
  /// another worker may be running it, so nothing is committed. Empty: never.
  std::function<bool()> lease_lost;
};

/// The code of a run rolled back because its lease was lost: transient (503).
inline constexpr const char* kLeaseLostCode = "LOCK_LEASE_LOST";

/// The processor route for the claims' payment type, or why there is none
/// (MISSING_CLAIM, UNKNOWN_PAYMENT_TYPE, PAYMENT_TYPE_DISABLED: business failures).
Result<const loader::ProcessorRoute*> routeFor(const loader::PluginSet& plugins,
                                               const Claims& claims);

/// ok: committed. rejected: rolled back for a business reason (refund it).
/// transient: rolled back for an outage, or for a lease lost before the
/// commit (no refund either way).
Outcome fulfilInOneTransaction(const FulfilmentParts& parts, const loader::PluginSet& plugins,
                               const loader::ProcessorRoute& route, PaymentTrace& trace,
                               const core::FetchedPayment& payment, const Claims& claims,
                               WebhookEvent event);

}  // namespace paymentd::pipeline
