// pipeline/fulfilment.h: one payment's work, in one database transaction.
//
// The validators in YAML order, then the processor the payment type routes to
// (its canary for the chosen users), then the fulfilment record; commit only
// when every step said ok. Leaving early rolls everything back. The trace's
// steps are buffered meanwhile (SQLite has one writer: this transaction).
#pragma once

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
};

/// The processor route for the claims' payment type, or why there is none
/// (MISSING_CLAIM, UNKNOWN_PAYMENT_TYPE, PAYMENT_TYPE_DISABLED: business failures).
Result<const loader::ProcessorRoute*> routeFor(const loader::PluginSet& plugins,
                                               const Claims& claims);

/// ok: committed. rejected: rolled back for a business reason (refund it).
/// transient: rolled back for an outage (no refund).
Outcome fulfilInOneTransaction(const FulfilmentParts& parts, const loader::PluginSet& plugins,
                               const loader::ProcessorRoute& route, PaymentTrace& trace,
                               const core::FetchedPayment& payment, const Claims& claims,
                               WebhookEvent event);

}  // namespace paymentd::pipeline
