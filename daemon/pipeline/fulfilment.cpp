#include "pipeline/fulfilment.h"

#include "failpoint/failpoint.h"
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

// For a payment paymentd scheduled itself: its row in the schedule ledger, read
// in the payment's transaction (PaymentContext::scheduled_amount is its
// amount). An id that looks scheduled without a row is traced and left without
// one, so the amount validator refuses it.
std::optional<storage::ScheduleEntry> scheduleOf(PaymentTrace& trace, const Payment& payment,
                                                 storage::Transaction& transaction) {
  if (!parseScheduledPaymentId(payment.id)) return std::nullopt;
  auto entry = transaction.schedules().find(payment.id);
  if (!entry) {
    trace.add("schedule", "missing", "the id looks scheduled, but paymentd never scheduled it");
    return std::nullopt;
  }
  trace.add("schedule", "ok",
            "paymentd scheduled " + std::to_string(entry->request.amount) + " " +
                entry->request.currency);
  return entry;
}

// One cycle is paid for at most once: a second paid attempt (a late approval
// of a declined one, after its retry was charged) is refunded.
Outcome cycleUnpaid(PaymentTrace& trace, const storage::ScheduleEntry& entry,
                    storage::Transaction& transaction) {
  const auto paid =
      transaction.schedules().paidAttempt(entry.request.subscription_id, entry.request.cycle);
  if (!paid || *paid == entry.payment_id) return Outcome::ok();
  const std::string message = "cycle " + std::to_string(entry.request.cycle) + " of subscription " +
                              std::to_string(entry.request.subscription_id) + " is paid by " +
                              *paid;
  trace.add("cycle", "paid", message);
  return Outcome::rejected(core::kCycleAlreadyPaidCode, message);
}

// A renewal is wanted only while its subscription is: once an operator
// cancelled it (now, or at period end) a charge PortOne ran anyway is given
// back. The row stays locked until the transaction ends, so a cancel and a
// renewal of one subscription take turns.
Outcome renewalWanted(PaymentTrace& trace, const storage::ScheduleEntry& entry,
                      storage::Transaction& transaction) {
  const auto subscription = transaction.subscriptions().lock(entry.request.subscription_id);
  if (!subscription) return Outcome::ok();  // the processor says what is missing
  if (subscription->status != SubscriptionStatus::kCancelled &&
      !subscription->cancel_at_period_end) {
    return Outcome::ok();
  }
  const std::string message =
      "subscription " + std::to_string(subscription->id) +
      (subscription->cancel_at_period_end ? " is set to cancel at period end" : " is cancelled");
  trace.add("subscription", "cancelled", message);
  return Outcome::rejected(core::kSubscriptionCancelledCode, message);
}

// Marks the cycle paid and withdraws its other attempts (traced).
Outcome settleCycle(PaymentTrace& trace, const storage::ScheduleEntry& entry,
                    storage::Transaction& transaction) {
  try {
    const auto withdrawn = transaction.settleCycle(entry);
    std::string detail = "cycle " + std::to_string(entry.request.cycle) + " paid";
    for (const auto& id : withdrawn) detail += ", withdrawing " + id;
    trace.add("cycle", "ok", detail);
    return Outcome::ok();
  } catch (const storage::Duplicate&) {
    // Another daemon's attempt of this cycle committed first. (On PostgreSQL
    // the transaction is aborted now: nothing more can be read in it.)
    const std::string message =
        "another attempt of cycle " + std::to_string(entry.request.cycle) + " was paid first";
    trace.add("cycle", "paid", message);
    return Outcome::rejected(core::kCycleAlreadyPaidCode, message);
  }
}

// A coupon the claims name discounted this payment (the amount validator
// checked the total against it): the payment spends it, whatever the
// processor did. Scheduled payments take no coupons.
Outcome spendCoupon(PaymentTrace& trace, const Payment& payment, const Claims& claims,
                    storage::Transaction& transaction) {
  if (!claims.coupon_id) return Outcome::ok();
  const Outcome used = transaction.store().useCoupon(*claims.coupon_id, payment.id);
  trace.add("coupon", used.isOk() ? "ok" : kindName(used),
            used.isOk() ? *claims.coupon_id + " used" : used.code() + ": " + used.message());
  if (used.isRejected() && used.code() == kDuplicateCode) {
    return Outcome::rejected("COUPON_ALREADY_USED", used.message());
  }
  return used;
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
  const auto schedule = scheduleOf(trace, payment, transaction);
  if (schedule) {
    if (Outcome unpaid = cycleUnpaid(trace, *schedule, transaction); !unpaid.isOk()) return unpaid;
    if (Outcome wanted = renewalWanted(trace, *schedule, transaction); !wanted.isOk())
      return wanted;
  }
  const PaymentContext context{
      payment, claims, event, parts.clock.now(),
      schedule ? std::optional<std::int64_t>(schedule->request.amount) : std::nullopt};
  for (const auto& validator_route : plugins.validators) {
    if (!validator_route.enabled) continue;
    const auto& validator = validator_route.choose(*claims.user_id);  // canary or primary
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
  // A renewal settles its cycle; any other payment spends the coupon it names.
  const Outcome settled = schedule ? settleCycle(trace, *schedule, transaction)
                                   : spendCoupon(trace, payment, claims, transaction);
  if (!settled.isOk()) return settled;
  // The last moment to notice another worker may hold this payment now.
  if (parts.lease_lost && parts.lease_lost()) {
    trace.add("lock", "lost", "the lease ended while the work ran: rolled back");
    return Outcome::transient(kLeaseLostCode, "the payment's lock lease was lost");
  }
  failpoint::hit(failpoint::kInTransaction);  // the plugins' writes are in, uncommitted
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
