#include "pipeline/payment_service.h"

#include "core/payment_decision.h"
#include "failpoint/failpoint.h"
#include "paymentd/outbox.h"
#include "pipeline/fulfilment.h"
#include "pipeline/payment_trace.h"
#include "pipeline/stopwatch.h"
#include "storage/errors.h"
#include "storage/payment_log.h"
#include "storage/unsettled_webhooks.h"

namespace paymentd::pipeline {
namespace {

// A renewal whose schedule PortOne never got, as the reconciler settles it.
constexpr const char* kScheduleDeadCode = "SCHEDULE_NOT_AT_PORTONE";

const char* statusName(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kReady:
      return "READY";
    case PaymentStatus::kPayPending:
      return "PAY_PENDING";
    case PaymentStatus::kVirtualAccountIssued:
      return "VIRTUAL_ACCOUNT_ISSUED";
    case PaymentStatus::kPaid:
      return "PAID";
    case PaymentStatus::kFailed:
      return "FAILED";
    case PaymentStatus::kPartialCancelled:
      return "PARTIAL_CANCELLED";
    case PaymentStatus::kCancelled:
      return "CANCELLED";
    case PaymentStatus::kUnrecognized:
      break;
  }
  return "UNRECOGNIZED";
}

// What the database recorded of the payment: fulfilled, failed (and how far
// its refund got), or nothing yet.
core::RecordedPayment recorded(storage::PaymentLog& log, const std::string& payment_id) {
  core::RecordedPayment recorded;
  const storage::PaymentCheck check = log.check(payment_id);
  if (check.status == storage::PaymentCheck::Status::kCompleted) {
    recorded.state = core::RecordedPayment::State::kFulfilled;
  } else if (check.status == storage::PaymentCheck::Status::kFailed) {
    recorded.state = core::RecordedPayment::State::kFailed;
    if (const auto failure = log.failure(payment_id)) {
      recorded.failure_code = failure->code;
      recorded.failure_message = failure->message;
      recorded.refund = failure->refund;
    }
  }
  return recorded;
}

}  // namespace

// What one run knows; lives on the calling thread's stack.
class PaymentService::Run {
 public:
  Run(storage::PaymentLog& log, const Clock& clock, std::string payment_id, WebhookEvent webhook,
      Claims webhook_claims, std::shared_ptr<const ServiceSettings> run_settings)
      : settings(std::move(run_settings)),
        trace(log, clock, std::move(payment_id)),
        event(webhook),
        claims(std::move(webhook_claims)) {}

  std::shared_ptr<const ServiceSettings> settings;  // taken once: a reload does not move it
  PaymentTrace trace;
  WebhookEvent event;
  bool event_from_status = false;  // the reconciler's runs: PortOne's status decides the event
  bool schedule_dead = false;      // ReconcileRequest::schedule_dead
  const lock::LeaseGuard* lease = nullptr;  // while the payment's lock is held
  Claims claims;
  std::optional<std::string> lookup_id;  // WebhookDelivery::lookup_id
  core::FetchedPayment payment;          // plugins see its Payment part only
};

ServiceSettings::ServiceSettings(const ServiceParts& parts, ServiceOptions service_options)
    : options(std::move(service_options)),
      refunder(parts.gateway, parts.database, parts.metrics, options.admin_channel),
      billing_failures(parts.database, parts.clock,
                       recurring::FailurePolicy{options.recurring, options.admin_channel}) {}

PaymentService::PaymentService(ServiceParts parts, ServiceOptions options)
    : parts_(parts),
      settings_(std::make_shared<const ServiceSettings>(parts_, std::move(options))) {}

void PaymentService::apply(ServiceOptions options) {
  settings_.replace(std::make_shared<const ServiceSettings>(parts_, std::move(options)));
}

core::Decision PaymentService::settleWebhook(const WebhookDelivery& delivery) const {
  storage::PaymentLog log(parts_.database);
  Run run(log, parts_.clock, delivery.payment_id, delivery.event, delivery.claims,
          settings_.current());
  run.lookup_id = delivery.lookup_id;
  run.event_from_status = delivery.status_decides_event;
  const core::Decision decision = runLocked(run, "received", delivery.type_name);
  if (decision.awaitsReconciler()) {
    // PortOne retries these for about five hours; the reconciler takes over
    // after that, with the claims only this URL carries.
    try {
      storage::rememberUnsettledWebhook(
          parts_.database, {delivery.payment_id, delivery.type_name, run.claims, decision.code});
    } catch (const storage::Error& e) {
      run.trace.logger().warning("payment_id=" + delivery.payment_id +
                                 " not kept for the reconciler: " + e.what());
    }
  }
  return decision;
}

core::Decision PaymentService::reconcile(const ReconcileRequest& request) const {
  storage::PaymentLog log(parts_.database);
  Run run(log, parts_.clock, request.payment_id, WebhookEvent::kTransactionPaid, request.claims,
          settings_.current());
  run.event_from_status = true;
  run.schedule_dead = request.schedule_dead;
  const core::Decision decision = runLocked(run, "reconcile", request.reason);
  parts_.metrics.countReconciled(request.reason, std::string(core::verdictName(decision.verdict)));
  return decision;
}

core::Decision PaymentService::runLocked(Run& run, const std::string& stage,
                                         const std::string& why) const {
  const std::string& payment_id = run.trace.paymentId();
  try {
    // Written together with the lock's outcome: one INSERT per delivery, which
    // is most of what a copy refused by the lock costs.
    run.trace.add(stage, "ok",
                  why + " payment_type=" + run.claims.payment_type.value_or("-") +
                      " subscribe_id=" + run.claims.subscribe_id.value_or("-"));

    const Stopwatch lock_watch;
    const lock::AcquireResult acquired =
        parts_.lock.acquire("payment:" + payment_id, run.settings->options.lock_ttl);
    parts_.metrics.observeStage("lock", lock_watch.seconds());
    if (acquired.status == lock::AcquireStatus::kHeld) {
      parts_.metrics.countLockContention();
      run.trace.add("lock", "held", "another worker is processing this payment",
                    lock_watch.elapsed());
      return *core::afterLock(core::LockStatus::kHeldElsewhere);
    }
    if (acquired.status == lock::AcquireStatus::kUnavailable) {
      run.trace.add("lock", "unavailable", acquired.error, lock_watch.elapsed());
      return *core::afterLock(core::LockStatus::kUnavailable);
    }
    lock::LeaseGuard lease(parts_.lock, *acquired.lease);
    run.lease = &lease;
    // Written now, so a run that stops later still shows it began; a database
    // that cannot take it makes this unavailable before any other work.
    run.trace.record("lock", "ok", "", lock_watch.elapsed());
    return settleLocked(run);
  } catch (const storage::Transient& e) {
    run.trace.add("storage", "unavailable", e.what());
    return core::Decision{core::Verdict::kUnavailable, "STORAGE_UNAVAILABLE"};
  } catch (const storage::Error& e) {
    run.trace.add("storage", "failed", e.what());
    return core::Decision{core::Verdict::kUnavailable, "STORAGE_ERROR"};
  }
}

core::Decision PaymentService::settleLocked(Run& run) const {
  const std::string& id = run.trace.paymentId();
  const Stopwatch fetch_watch;
  core::PaymentLookup lookup = parts_.gateway.lookUp(run.lookup_id.value_or(id));
  if (lookup.status == core::LookupStatus::kFound && lookup.payment.id != id) {
    lookup.status = core::LookupStatus::kNotFound;  // PortOne's id names another payment
  }
  if (const auto refused = core::afterLookup(lookup.status)) {
    const bool not_found = refused->verdict == core::Verdict::kNotFound;
    run.trace.add("verified", not_found ? "rejected" : "unavailable",
                  not_found ? refused->code : lookup.detail, fetch_watch.elapsed());
    if (not_found && run.schedule_dead) return failUnscheduled(run);
    return *refused;
  }
  parts_.metrics.observeStage("portone_get", fetch_watch.seconds());
  run.payment = std::move(lookup.payment);
  const Payment& payment = run.payment;
  if (run.event_from_status) {
    run.event = payment.status == PaymentStatus::kFailed ? WebhookEvent::kTransactionFailed
                                                         : WebhookEvent::kTransactionPaid;
  }
  run.trace.add("verified", "ok",
                std::string("status=") + statusName(payment.status) +
                    " total=" + std::to_string(payment.amount.total) + " " + payment.currency,
                fetch_watch.elapsed());

  storage::PaymentLog log(parts_.database);
  const core::PaymentFacts facts{run.event, payment.status, parseScheduledPaymentId(id).has_value(),
                                 recorded(log, id),
                                 run.settings->options.require_live && !payment.live};
  core::Step step = core::decide(facts);
  if (step.answer.verdict == core::Verdict::kDeclined) {
    step.failure_message = payment.failure_reason.value_or("PortOne reports a failure");
  }
  switch (step.action) {
    case core::Action::kFulfil:
      return fulfil(run);
    case core::Action::kReject:
      return reject(run, Outcome::rejected(step.failure_code, step.failure_message));
    default:
      return answer(run, step);
  }
}

core::Decision PaymentService::answer(Run& run, const core::Step& step) const {
  const std::string& id = run.trace.paymentId();
  const Payment& payment = run.payment;
  storage::PaymentLog log(parts_.database);
  if (step.record_failure) {
    log.recordFailure(storage::PaymentFailure{id, run.claims.payment_type, step.failure_code,
                                              step.failure_message, storage::RefundState::kNone});
  }
  const bool cancelled_at_portone = payment.status == PaymentStatus::kCancelled ||
                                    payment.status == PaymentStatus::kPartialCancelled;
  switch (step.answer.verdict) {
    case core::Verdict::kAlreadyFulfilled:
      run.trace.add("duplicate", "ok", "fulfilled already");
      break;
    case core::Verdict::kStale:
      run.trace.add("status", "stale", std::string("PortOne shows ") + statusName(payment.status));
      break;
    case core::Verdict::kDeclined:
      run.trace.add("status", "failed", payment.failure_reason.value_or(""));
      if (step.action == core::Action::kCountDecline) {
        // A renewal by the host's facts (BillingFailures counts only a schedule
        // it recorded), not by the URL's payment_type: schedules PortOne already
        // holds keep the type they were created with after an operator changed
        // recurring.payment_type. Counted once per payment id.
        const recurring::FailureRecord counted =
            run.settings->billing_failures.record(payment, run.payment.failure_pg_code);
        run.trace.add(
            "recurring",
            counted.result == recurring::FailureRecord::Result::kCounted ? "counted" : "skipped",
            counted.detail);
      }
      break;
    case core::Verdict::kNotPaid:
      run.trace.add("status", "rejected",
                    std::string(core::kNotPaidCode) + " (" + statusName(payment.status) + ")");
      break;
    case core::Verdict::kRefunded:
      if (step.action == core::Action::kMarkRefunded) {
        log.setRefund(id, storage::RefundState::kDone,
                      refundedEvent(payment, run.claims, payment.amount.cancelled));
        run.trace.add("refund", "done", "PortOne shows the payment cancelled");
        run.settings->refunder.notifyAdmin(
            payment, run.claims, step.answer.code,
            RefundResult{true, "PortOne shows the payment cancelled"}, run.trace);
      } else if (cancelled_at_portone) {
        run.trace.add("status", "rejected", core::kCancelledCode);
      } else {
        run.trace.add("refund", "done", "refunded already");
      }
      break;
    case core::Verdict::kCancelled:
      run.trace.add("status", "rejected", core::kCancelledCode);
      break;
    default:
      break;
  }
  return step.answer;
}

core::Decision PaymentService::failUnscheduled(Run& run) const {
  Payment payment;
  payment.id = run.trace.paymentId();
  payment.status = PaymentStatus::kFailed;
  const recurring::FailureRecord counted =
      run.settings->billing_failures.record(payment, std::nullopt);
  const bool changed = counted.result == recurring::FailureRecord::Result::kCounted;
  run.trace.add("recurring", changed ? "counted" : "skipped",
                "its schedule never reached PortOne: " + counted.detail);
  return core::Decision{core::Verdict::kDeclined, std::string(kScheduleDeadCode)};
}

core::Decision PaymentService::fulfil(Run& run) const {
  const auto plugins = parts_.plugins.current();  // this run keeps this set to the end
  const auto route = routeFor(*plugins, run.claims);
  if (!route) return reject(run, route.error());

  const Stopwatch transaction_watch;
  const Outcome outcome =
      fulfilInOneTransaction(FulfilmentParts{parts_.clock, parts_.database, parts_.metrics,
                                             [&run] { return run.lease && run.lease->lost(); }},
                             *plugins, **route, run.trace, run.payment, run.claims, run.event);
  parts_.metrics.observeStage("transaction", transaction_watch.seconds());
  if (const auto settled = core::afterTransaction(outcome)) {
    if (outcome.isOk()) {
      run.trace.add("committed", "ok", "", transaction_watch.elapsed());
      run.trace.flush();
      failpoint::hit(failpoint::kAfterCommit);
    } else {
      run.trace.add("rolled_back", "transient", outcome.code(), transaction_watch.elapsed());
    }
    return *settled;
  }
  return reject(run, outcome);
}

core::Decision PaymentService::reject(Run& run, const Outcome& outcome) const {
  run.trace.flush();  // the transaction is closed: its steps can be written now
  storage::PaymentLog log(parts_.database);
  const bool fulfilled =
      log.check(run.payment.id).status == storage::PaymentCheck::Status::kCompleted;
  const core::Step step = core::afterRejection(outcome, fulfilled);
  if (step.action == core::Action::kRefund) {
    const RefundResult refund = run.settings->refunder.refund(
        run.payment, run.claims, step.failure_code, step.failure_message, run.trace);
    return core::afterRefund(refund.refunded, step.failure_code);
  }
  if (step.answer.verdict == core::Verdict::kAlreadyFulfilled) {
    run.trace.add("duplicate", "ok", "fulfilled already");
  }
  if (step.record_failure) {
    log.recordFailure(storage::PaymentFailure{run.payment.id, run.claims.payment_type,
                                              step.failure_code, step.failure_message,
                                              storage::RefundState::kNone});
  }
  return step.answer;
}

}  // namespace paymentd::pipeline
