#include "pipeline/payment_pipeline.h"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "loader/plugin_call.h"
#include "paymentd/outbox.h"
#include "pipeline/payment_trace.h"
#include "pipeline/stopwatch.h"
#include "portone/api_error.h"
#include "storage/errors.h"
#include "storage/payment_log.h"
#include "storage/transaction.h"
#include "storage/unsettled_webhooks.h"

namespace paymentd::pipeline {
namespace {

// Codes that mean "not this payment's money to give back" (BRIEF section 5).
constexpr const char* kNotPaid = "PAYMENT_NOT_PAID";
constexpr const char* kCancelled = "CANCELLED_PAYMENT";
constexpr const char* kAlreadyFulfilled = "ALREADY_FULFILLED";

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

const char* kindName(const Outcome& outcome) {
  if (outcome.isOk()) return "ok";
  return outcome.isRejected() ? "rejected" : "transient";
}

Claims claimsFrom(const http::HttpRequest& request) {
  const auto nonEmpty = [&](const char* name) -> std::optional<std::string> {
    auto value = request.queryParam(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  };
  return Claims{nonEmpty("user_id"), nonEmpty("subscribe_id"), nonEmpty("payment_type"),
                nonEmpty("coupon_id")};
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

struct PaymentPipeline::Answer {
  int status;
  std::string outcome;  // for PortOne, metrics and the log: fulfilled, refunded, ...
  std::string code;     // the failure code, if any
};

// What one webhook run knows; lives on the request thread's stack.
class PaymentPipeline::Run {
 public:
  Run(storage::PaymentLog& log, const Clock& clock, std::string payment_id, WebhookEvent webhook,
      Claims webhook_claims)
      : trace(log, clock, std::move(payment_id)),
        event(webhook),
        claims(std::move(webhook_claims)) {}

  PaymentTrace trace;
  WebhookEvent event;
  bool event_from_status = false;  // the reconciler's runs: PortOne's status decides the event
  Claims claims;
  portone::FetchedPayment payment;  // plugins see its Payment part only
};

std::set<portone::WebhookEventType> handledWebhookTypes() {
  return {portone::WebhookEventType::kTransactionPaid,
          portone::WebhookEventType::kTransactionFailed};
}

PaymentPipeline::PaymentPipeline(PipelineParts parts, PipelineOptions options)
    : parts_(parts),
      options_(std::move(options)),
      refunder_(parts.portone, parts.database, parts.metrics, options_.admin_channel),
      billing_failures_(parts.database, parts.clock,
                        recurring::FailurePolicy{options_.recurring, options_.admin_channel}) {}

http::HttpResponse PaymentPipeline::handleWebhook(const http::HttpRequest& request) const {
  const auto header = [&](const std::string& name) { return request.singleHeader(name); };
  const auto verdict = parts_.verifier.verify(portone::WebhookHeaders::from(header), request.body);
  Answer answer{0, "", ""};
  std::string type = "unverified";
  if (verdict != portone::WebhookVerdict::kValid) {
    answer = Answer{401, "bad_signature", portone::verdictName(verdict)};
  } else {
    const portone::WebhookParse parsed = parts_.parser.parse(request.body);
    type = parsed.event.type_name.empty() ? "unknown" : parsed.event.type_name;
    switch (parsed.status) {
      case portone::WebhookParse::Status::kMalformed:
        answer = Answer{400, "malformed", "NOT_A_PORTONE_WEBHOOK"};
        break;
      case portone::WebhookParse::Status::kForeignStore:
        answer = Answer{400, "foreign_store", "FOREIGN_STORE"};
        break;
      case portone::WebhookParse::Status::kIgnored:
        answer = Answer{200, "ignored", ""};
        break;
      case portone::WebhookParse::Status::kAccepted:
        answer = handleVerified(request, parsed.event);
        break;
    }
  }
  parts_.metrics.countWebhook(type, answer.outcome);
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("status", answer.outcome);
  if (!answer.code.empty()) body.set("code", answer.code);
  std::ostringstream out;
  body.stringify(out);
  return http::jsonResponse(answer.status, out.str());
}

PaymentPipeline::Answer PaymentPipeline::handleVerified(const http::HttpRequest& request,
                                                        const portone::WebhookEvent& event) const {
  storage::PaymentLog log(parts_.database);
  const WebhookEvent kind = event.type == portone::WebhookEventType::kTransactionPaid
                                ? WebhookEvent::kTransactionPaid
                                : WebhookEvent::kTransactionFailed;
  Run run(log, parts_.clock, *event.payment_id, kind, claimsFrom(request));
  const Answer answer = runLocked(run, "received", event.type_name);
  if (answer.status == 503 || answer.code == kNotPaid) {
    // PortOne retries these for about five hours; the reconciler takes over
    // after that, with the claims only this URL carries.
    try {
      storage::rememberUnsettledWebhook(
          parts_.database, {*event.payment_id, event.type_name, run.claims, answer.code});
    } catch (const storage::Error& e) {
      run.trace.logger().warning("payment_id=" + *event.payment_id +
                                 " not kept for the reconciler: " + e.what());
    }
  }
  return answer;
}

ReconcileResult PaymentPipeline::reconcile(const ReconcileRequest& request) const {
  storage::PaymentLog log(parts_.database);
  Run run(log, parts_.clock, request.payment_id, WebhookEvent::kTransactionPaid, request.claims);
  run.event_from_status = true;
  const Answer answer = runLocked(run, "reconcile", request.reason);
  parts_.metrics.countReconciled(request.reason, answer.outcome);
  return ReconcileResult{answer.status == 200, answer.outcome, answer.code};
}

PaymentPipeline::Answer PaymentPipeline::runLocked(Run& run, const std::string& stage,
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
        parts_.lock.acquire("payment:" + payment_id, options_.lock_ttl);
    parts_.metrics.observeStage("lock", lock_watch.seconds());
    if (acquired.status == lock::AcquireStatus::kHeld) {
      parts_.metrics.countLockContention();
      run.trace.add("lock", "held", "another worker is processing this payment",
                    lock_watch.elapsed());
      return Answer{409, "already_processing", "ALREADY_PROCESSING"};
    }
    if (acquired.status == lock::AcquireStatus::kUnavailable) {
      run.trace.add("lock", "unavailable", acquired.error, lock_watch.elapsed());
      return Answer{503, "unavailable", "LOCK_UNAVAILABLE"};
    }
    lock::LeaseGuard lease(parts_.lock, *acquired.lease);
    // Written now, so a run that stops later still shows it began; a database
    // that cannot take it makes this a 503 before any other work.
    run.trace.record("lock", "ok", "", lock_watch.elapsed());
    return processLocked(run);
  } catch (const storage::Transient& e) {
    run.trace.add("storage", "unavailable", e.what());
    return Answer{503, "unavailable", "STORAGE_UNAVAILABLE"};
  } catch (const storage::Error& e) {
    run.trace.add("storage", "failed", e.what());
    return Answer{503, "unavailable", "STORAGE_ERROR"};
  }
}

PaymentPipeline::Answer PaymentPipeline::processLocked(Run& run) const {
  const std::string& id = run.trace.paymentId();
  const Stopwatch fetch_watch;
  try {
    run.payment = parts_.portone.getPayment(id);
    parts_.metrics.countPortOneCall("get_payment", "ok");
  } catch (const portone::TransientError& e) {
    parts_.metrics.countPortOneCall("get_payment", "transient");
    run.trace.add("verified", "unavailable", e.what(), fetch_watch.elapsed());
    return Answer{503, "unavailable", "PORTONE_UNAVAILABLE"};
  } catch (const portone::ApiError& e) {
    parts_.metrics.countPortOneCall("get_payment", e.type().empty() ? "error" : e.type());
    if (e.type() == "PAYMENT_NOT_FOUND") {
      // Signed by PortOne yet unknown to it: nothing was charged, nothing to do.
      run.trace.add("verified", "rejected", "PAYMENT_NOT_FOUND", fetch_watch.elapsed());
      return Answer{200, "not_found", "PAYMENT_NOT_FOUND"};
    }
    // UNAUTHORIZED, FORBIDDEN, ...: our credentials, not the payment. Retry later.
    run.trace.add("verified", "unavailable", e.type() + ": " + e.apiMessage(),
                  fetch_watch.elapsed());
    return Answer{503, "unavailable", "PORTONE_REFUSED"};
  }
  parts_.metrics.observeStage("portone_get", fetch_watch.seconds());
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
  const storage::PaymentCheck known = log.check(id);
  if (known.status == storage::PaymentCheck::Status::kCompleted) {
    run.trace.add("duplicate", "ok", "fulfilled already");
    return Answer{200, "already_fulfilled", kAlreadyFulfilled};
  }

  if (run.event == WebhookEvent::kTransactionFailed) {
    if (payment.status != PaymentStatus::kFailed) {
      run.trace.add("status", "stale", std::string("PortOne shows ") + statusName(payment.status));
      return Answer{200, "stale", ""};
    }
    if (known.status != storage::PaymentCheck::Status::kFailed) {
      log.recordFailure(
          storage::PaymentFailure{id, run.claims.payment_type, "PAYMENT_FAILED",
                                  payment.failure_reason.value_or("PortOne reports a failure"),
                                  storage::RefundState::kNone});
    }
    run.trace.add("status", "failed", payment.failure_reason.value_or(""));
    if (parseScheduledPaymentId(id)) {
      // A renewal by the host's facts (BillingFailures counts only a schedule
      // it recorded), not by the URL's payment_type: schedules PortOne already
      // holds keep the type they were created with after an operator changed
      // recurring.payment_type. Counted once per payment id, so a redelivery
      // (or a retry after a 503) is safe.
      const recurring::FailureRecord counted = billing_failures_.record(payment);
      run.trace.add(
          "recurring",
          counted.result == recurring::FailureRecord::Result::kCounted ? "counted" : "skipped",
          counted.detail);
    }
    return Answer{200, "payment_failed", "PAYMENT_FAILED"};
  }

  if (payment.status == PaymentStatus::kCancelled ||
      payment.status == PaymentStatus::kPartialCancelled) {
    if (known.status == storage::PaymentCheck::Status::kFailed) {
      auto failure = log.failure(id);
      if (failure && (failure->refund == storage::RefundState::kIntended ||
                      failure->refund == storage::RefundState::kFailed)) {
        if (payment.status == PaymentStatus::kPartialCancelled) {
          // Part of the money is still charged: refund the rest, with the same key.
          return fail(run, Outcome::rejected(failure->code, failure->message));
        }
        // Our unfinished refund, finished at PortOne (by our last call, or an operator).
        log.setRefund(id, storage::RefundState::kDone);
        run.trace.add("refund", "done", "PortOne shows the payment cancelled");
        return Answer{200, "refunded", failure->code};
      }
    }
    if (known.status != storage::PaymentCheck::Status::kFailed) {
      log.recordFailure(storage::PaymentFailure{id, run.claims.payment_type, kCancelled,
                                                "PortOne shows the payment as cancelled",
                                                storage::RefundState::kNone});
    }
    run.trace.add("status", "rejected", kCancelled);
    return Answer{200, known.refunded ? "refunded" : "cancelled",
                  known.reason.value_or(kCancelled)};
  }
  if (payment.status != PaymentStatus::kPaid) {
    run.trace.add("status", "rejected",
                  std::string(kNotPaid) + " (" + statusName(payment.status) + ")");
    return Answer{409, "not_paid", kNotPaid};
  }
  if (known.status == storage::PaymentCheck::Status::kFailed) {
    auto failure = log.failure(id);
    if (failure && failure->refund == storage::RefundState::kDone) {
      run.trace.add("refund", "done", "refunded already");
      return Answer{200, "refunded", failure->code};
    }
    if (failure && failure->refund != storage::RefundState::kNone) {
      // A refund was started and did not finish (PortOne failed, or we stopped):
      // finish it, with the same idempotency key.
      return fail(run, Outcome::rejected(failure->code, failure->message));
    }
    // A failure without refund (an earlier attempt failed): PortOne shows it paid now.
  }
  return fulfil(run);
}

PaymentPipeline::Answer PaymentPipeline::fulfil(Run& run) const {
  const Claims& claims = run.claims;
  if (!claims.user_id || !claims.subscribe_id || !claims.payment_type) {
    return fail(run,
                Outcome::rejected("MISSING_CLAIM",
                                  "the webhook URL lacks user_id, subscribe_id or payment_type"));
  }
  const auto plugins = parts_.plugins.current();  // this run keeps this set to the end
  const auto route = plugins->processors.find(*claims.payment_type);
  if (route == plugins->processors.end()) {
    return fail(
        run, Outcome::rejected("UNKNOWN_PAYMENT_TYPE", "no processor for " + *claims.payment_type));
  }
  if (!route->second.enabled) {
    return fail(run,
                Outcome::rejected("PAYMENT_TYPE_DISABLED", *claims.payment_type + " is disabled"));
  }

  const Stopwatch transaction_watch;
  Outcome outcome = Outcome::ok();
  {
    storage::Transaction transaction(parts_.database);
    transaction.forPayment(run.payment.id, run.payment.customer_phone);
    const PaymentContext context{run.payment, claims, run.event, parts_.clock.now(),
                                 scheduledAmount(run.trace, run.payment, transaction)};
    for (const auto& validator : plugins->validators) {
      outcome = callStep(run.trace, parts_.metrics, "validator", validator.identity, [&] {
        return validator.instance->validate(context, transaction.store());
      });
      if (!outcome.isOk()) break;
    }
    if (outcome.isOk()) {
      const auto& processor = route->second.choose(*claims.user_id);  // canary or primary
      outcome = callStep(run.trace, parts_.metrics, "processor", processor.identity,
                         [&] { return processor.instance->process(context, transaction.store()); });
    }
    if (outcome.isOk()) {
      try {
        transaction.recordFulfilment(storage::FulfilledPayment{
            run.payment.id, *claims.payment_type, *claims.user_id, claims.subscribe_id,
            std::nullopt, claims.coupon_id, run.payment.amount.total, run.payment.currency});
        transaction.commit();
      } catch (const storage::Duplicate&) {
        outcome = Outcome::rejected(kAlreadyFulfilled, "another worker fulfilled it first");
      }
    }
    // Leaving the scope rolls back whatever was not committed.
  }
  parts_.metrics.observeStage("transaction", transaction_watch.seconds());

  if (outcome.isOk()) {
    run.trace.add("committed", "ok", "", transaction_watch.elapsed());
    run.trace.flush();
    return Answer{200, "fulfilled", ""};
  }
  if (outcome.isTransient()) {
    run.trace.add("rolled_back", "transient", outcome.code(), transaction_watch.elapsed());
    return Answer{503, "unavailable", outcome.code()};
  }
  return fail(run, outcome);
}

PaymentPipeline::Answer PaymentPipeline::fail(Run& run, const Outcome& outcome) const {
  run.trace.flush();  // the transaction is closed: its steps can be written now
  storage::PaymentLog log(parts_.database);
  // The database is the judge of fulfilment, whatever a plugin said.
  if (log.check(run.payment.id).status == storage::PaymentCheck::Status::kCompleted) {
    run.trace.add("duplicate", "ok", "fulfilled already");
    return Answer{200, "already_fulfilled", kAlreadyFulfilled};
  }
  if (outcome.code() == kNotPaid) return Answer{409, "not_paid", kNotPaid};
  if (outcome.code() == kCancelled) {
    log.recordFailure(storage::PaymentFailure{run.payment.id, run.claims.payment_type, kCancelled,
                                              outcome.message(), storage::RefundState::kNone});
    return Answer{200, "cancelled", kCancelled};
  }
  const RefundResult refund =
      refunder_.refund(run.payment, run.claims, outcome.code(), outcome.message(), run.trace);
  return Answer{200, refund.refunded ? "refunded" : "refund_failed", outcome.code()};
}

}  // namespace paymentd::pipeline
