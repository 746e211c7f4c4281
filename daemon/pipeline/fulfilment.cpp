#include "pipeline/fulfilment.h"

#include "loader/plugin_call.h"
#include "pipeline/stopwatch.h"
#include "storage/errors.h"
#include "storage/transaction.h"

namespace paymentd::pipeline {
namespace {

const char* kindName(const Outcome& outcome) {
  if (outcome.isOk()) return "ok";
  return outcome.isRejected() ? "rejected" : "transient";
}

// A plugin call with the host's guard; a database outage inside it stays transient.
template <typename Call>
Outcome callGuarded(const std::string& identity, Call&& call) {
  return loader::callPlugin(identity, [&]() -> Outcome {
    try {
      return call();
    } catch (const storage::Transient& e) {
      return Outcome::transient("STORAGE_UNAVAILABLE", e.what());
    }
  });
}

// One validator or processor call: guarded, timed, traced as "KIND:name@version".
template <typename Call>
Outcome callStep(PaymentTrace& trace, metrics::Metrics& metrics, const std::string& kind,
                 const std::string& identity, Call&& call) {
  const Stopwatch watch;
  const Outcome outcome = callGuarded(identity, std::forward<Call>(call));
  metrics.observePluginCall(identity, watch.seconds());
  trace.add(kind + ":" + identity, kindName(outcome),
            outcome.isOk() ? "" : outcome.code() + ": " + outcome.message(), watch.elapsed());
  return outcome;
}

// PaymentContext::scheduled_amount: for a payment paymentd scheduled itself,
// the amount its schedule asked PortOne to charge, read in the payment's
// transaction. An id that looks scheduled without a recorded schedule is
// traced and left without one, so the amount validator refuses it.
std::optional<std::int64_t> scheduledAmount(PaymentTrace& trace, const Payment& payment,
                                            storage::Transaction& transaction) {
  if (!parseScheduledPaymentId(payment.id)) return std::nullopt;
  const auto charge = transaction.scheduledCharge(payment.id);
  if (!charge) {
    trace.add("schedule", "missing", "the id looks scheduled, but paymentd never scheduled it");
    return std::nullopt;
  }
  trace.add("schedule", "ok",
            "paymentd scheduled " + std::to_string(charge->amount) + " " + charge->currency);
  return charge->amount;
}

}  // namespace

Result<const loader::ProcessorRoute*> routeFor(const loader::PluginSet& plugins,
                                               const Claims& claims) {
  if (!claims.user_id || !claims.subscribe_id || !claims.payment_type) {
    return Outcome::rejected("MISSING_CLAIM",
                             "the webhook URL lacks user_id, subscribe_id or payment_type");
  }
  const auto route = plugins.processors.find(*claims.payment_type);
  if (route == plugins.processors.end()) {
    return Outcome::rejected("UNKNOWN_PAYMENT_TYPE", "no processor for " + *claims.payment_type);
  }
  if (!route->second.enabled) {
    return Outcome::rejected("PAYMENT_TYPE_DISABLED", *claims.payment_type + " is disabled");
  }
  return &route->second;
}

Outcome fulfilInOneTransaction(const FulfilmentParts& parts, const loader::PluginSet& plugins,
                               const loader::ProcessorRoute& route, PaymentTrace& trace,
                               const core::FetchedPayment& payment, const Claims& claims,
                               WebhookEvent event) {
  // Returning before commit() rolls back whatever the plugins wrote.
  storage::Transaction transaction(parts.database);
  transaction.forPayment(payment.id, payment.customer_phone);
  const PaymentContext context{payment, claims, event, parts.clock.now(),
                               scheduledAmount(trace, payment, transaction)};
  for (const auto& validator : plugins.validators) {
    const Outcome outcome = callStep(trace, parts.metrics, "validator", validator.identity, [&] {
      return validator.instance->validate(context, transaction.store());
    });
    if (!outcome.isOk()) return outcome;
  }
  const auto& processor = route.choose(*claims.user_id);  // canary or primary
  const Outcome outcome = callStep(trace, parts.metrics, "processor", processor.identity, [&] {
    return processor.instance->process(context, transaction.store());
  });
  if (!outcome.isOk()) return outcome;
  try {
    transaction.recordFulfilment(storage::FulfilledPayment{
        payment.id, *claims.payment_type, *claims.user_id, claims.subscribe_id, std::nullopt,
        claims.coupon_id, payment.amount.total, payment.currency});
    transaction.commit();
  } catch (const storage::Duplicate&) {
    return Outcome::rejected(core::kAlreadyFulfilledCode, "another worker fulfilled it first");
  }
  return Outcome::ok();
}

}  // namespace paymentd::pipeline
