#include "lifecycle/payment_refunds.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "storage/errors.h"
#include "storage/operator_refunds.h"
#include "storage/payment_log.h"
#include "storage/transaction.h"

namespace paymentd::lifecycle {
namespace {

using Kind = Refusal::Kind;

Refusal unavailable(const std::string& what) {
  return refused(Kind::kUnavailable, "DATABASE_UNAVAILABLE", what);
}

}  // namespace

std::string PaymentRefunds::portoneKey(const std::string& idempotency_key) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(idempotency_key);
  return "paymentd-operator-" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 40);
}

OperationResult<RefundView> PaymentRefunds::refund(const std::string& payment_id,
                                                   std::optional<std::int64_t> amount,
                                                   const std::string& idempotency_key,
                                                   const Audit& audit) const {
  if (amount && *amount <= 0) {
    return refused(Kind::kInvalid, "INVALID_AMOUNT", "amount must be a positive number of KRW");
  }
  const lock::AcquireResult acquired = lock_.acquire("payment:" + payment_id, lock_ttl_);
  if (acquired.status == lock::AcquireStatus::kHeld) {
    return refused(Kind::kConflict, "ALREADY_PROCESSING",
                   "paymentd is working on " + payment_id + " right now; ask again shortly");
  }
  if (acquired.status == lock::AcquireStatus::kUnavailable) {
    return refused(Kind::kUnavailable, "LOCK_UNAVAILABLE", acquired.error);
  }
  lock::LeaseGuard guard(lock_, *acquired.lease);
  try {
    return refundLocked(payment_id, amount, idempotency_key, audit);
  } catch (const storage::Transient& e) {
    return unavailable(e.what());
  }
}

OperationResult<RefundView> PaymentRefunds::refundLocked(const std::string& payment_id,
                                                         std::optional<std::int64_t> amount,
                                                         const std::string& idempotency_key,
                                                         const Audit& audit) const {
  storage::Database& database = parts_.database;
  const auto paid = storage::findRefundablePayment(database, payment_id);
  if (!paid) {
    return refused(Kind::kNotFound, "PAYMENT_NOT_FULFILLED",
                   "paymentd fulfilled no payment " + payment_id +
                       " (a payment it could not fulfil is refunded by paymentd itself)");
  }
  auto intent = storage::findOperatorRefund(database, idempotency_key);
  if (intent && intent->payment_id != payment_id) {
    return refused(Kind::kInvalid, "IDEMPOTENCY_KEY_REUSED",
                   "this Idempotency-Key was used for a refund of another payment");
  }
  std::int64_t refunded_before = paid->refunded_amount;
  // A repeat of a request that got as far as its intent asks PortOne exactly
  // what it asked then (PortOne replays its answer); only a new one reads the balance.
  if (!intent) {
    const core::PaymentLookup lookup = parts_.gateway.lookUp(payment_id);
    if (lookup.status == core::LookupStatus::kUnavailable) {
      return refused(Kind::kUnavailable, "PORTONE_UNAVAILABLE", lookup.detail);
    }
    if (lookup.status != core::LookupStatus::kFound) {
      return refused(Kind::kRefused,
                     lookup.error_type.empty() ? "PORTONE_REFUSED" : lookup.error_type,
                     lookup.detail);
    }
    const std::int64_t cancellable = lookup.payment.amount.paid - lookup.payment.amount.cancelled;
    if (cancellable <= 0) {
      return refused(Kind::kConflict, "NOTHING_TO_REFUND",
                     "PortOne shows nothing left to give back for " + payment_id);
    }
    const std::int64_t wanted = amount.value_or(cancellable);
    if (wanted > cancellable) {
      return refused(Kind::kConflict, "AMOUNT_EXCEEDS_CANCELLABLE",
                     std::to_string(wanted) + " KRW asked, " + std::to_string(cancellable) +
                         " KRW can still be given back");
    }
    storage::OperatorRefund fresh;
    fresh.idempotency_key = idempotency_key;
    fresh.payment_id = payment_id;
    fresh.amount = wanted;
    fresh.cancellable_before = cancellable;
    fresh.actor = audit.actor;
    fresh.reason = audit.reason;
    intent = storage::recordRefundIntent(database, fresh);
  }
  if (intent->status == storage::OperatorRefund::Status::kDone) {
    return RefundView{payment_id, refunded_before, intent->cancellable_before - intent->amount};
  }
  storage::PaymentLog log(database);
  core::RefundRequest request;
  request.payment_id = payment_id;
  request.reason = audit.reason;
  request.amount = intent->amount;
  request.current_cancellable_amount = intent->cancellable_before;
  request.idempotency_key = portoneKey(idempotency_key);
  const core::RefundAnswer answer = parts_.gateway.refund(request);
  const std::string who = " by " + audit.actor + ": " + audit.reason;
  if (!answer.refunded) {
    if (answer.transient) {
      return refused(Kind::kUnavailable, "PORTONE_UNAVAILABLE", answer.detail);
    }
    storage::markRefundFailed(database, idempotency_key, answer.error_type + " " + answer.detail);
    log.recordEvent(
        {payment_id, parts_.clock.now(), "operator:refund", "refused",
         std::to_string(intent->amount) + " KRW" + who + " (" + answer.error_type + ")"});
    return refused(Kind::kRefused, answer.error_type.empty() ? "REFUND_REFUSED" : answer.error_type,
                   answer.detail);
  }
  const Timestamp now = parts_.clock.now();
  std::string detail = std::to_string(intent->amount) + " KRW given back" + who;
  ScheduleChanges changes;
  {
    storage::Transaction transaction(database);
    if (storage::markRefundDone(transaction.connection(), *intent, now)) {
      transaction.events().paymentRefunded(
          {payment_id, paid->user_id, paid->subscription_id, intent->amount, idempotency_key});
      refunded_before += intent->amount;
      const bool nothing_left = refunded_before >= paid->amount;
      if (nothing_left && paid->subscription_id) {
        detail += "; " + revokePaidFor(transaction, payment_id, detail, *paid->subscription_id,
                                       "refund", audit, now, changes);
      }
      transaction.commit();
    }
  }
  log.recordEvent({payment_id, now, "operator:refund", "refunded", detail});
  return RefundView{payment_id, refunded_before, intent->cancellable_before - intent->amount};
}

}  // namespace paymentd::lifecycle
