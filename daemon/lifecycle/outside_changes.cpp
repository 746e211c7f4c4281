#include "lifecycle/outside_changes.h"

#include "core/cancellation_decision.h"
#include "core/payment_decision.h"
#include "lifecycle/subscription_changes.h"
#include "portone/rfc3339.h"
#include "storage/errors.h"
#include "storage/operator_refunds.h"
#include "storage/payment_log.h"
#include "storage/transaction.h"

namespace paymentd::lifecycle {
namespace {

// Who the audit trail names for what PortOne reported.
const Audit kPortOne{"portone", core::kCancelledAtPortOneCode};
const Audit kKeyDeleted{"portone", kBillingKeyDeletedReason};

const char* statusName(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kPaid:
      return "PAID";
    case PaymentStatus::kPartialCancelled:
      return "PARTIAL_CANCELLED";
    case PaymentStatus::kCancelled:
      return "CANCELLED";
    default:
      return "not cancelled";
  }
}

}  // namespace

core::Decision OutsideChanges::paymentCancelled(const std::string& payment_id,
                                                const std::string& type_name) const {
  storage::PaymentLog log(parts_.database);
  try {
    // A payment paymentd never fulfilled gave nothing: the webhook of its own
    // refund (the pipeline's) costs no lock, no trace line and no PortOne call.
    if (!storage::findRefundablePayment(parts_.database, payment_id)) {
      return core::decideCancellation(core::CancellationFacts{}).answer;
    }
    log.recordEvent({payment_id, parts_.clock.now(), "received", "ok", type_name});
    const lock::AcquireResult acquired = lock_.acquire("payment:" + payment_id, options_.lock_ttl);
    if (acquired.status == lock::AcquireStatus::kHeld) {
      log.recordEvent({payment_id, parts_.clock.now(), "lock", "held",
                       "another worker is processing this payment"});
      return *core::afterLock(core::LockStatus::kHeldElsewhere);
    }
    if (acquired.status == lock::AcquireStatus::kUnavailable) {
      log.recordEvent({payment_id, parts_.clock.now(), "lock", "unavailable", acquired.error});
      return *core::afterLock(core::LockStatus::kUnavailable);
    }
    lock::LeaseGuard guard(lock_, *acquired.lease);
    return paymentCancelledLocked(payment_id);
  } catch (const storage::Transient&) {
    return core::Decision{core::Verdict::kUnavailable, "STORAGE_UNAVAILABLE"};
  } catch (const storage::Error&) {
    return core::Decision{core::Verdict::kUnavailable, "STORAGE_ERROR"};
  }
}

core::Decision OutsideChanges::paymentCancelledLocked(const std::string& payment_id) const {
  storage::Database& database = parts_.database;
  storage::PaymentLog log(database);
  const core::PaymentLookup lookup = parts_.gateway.lookUp(payment_id);
  if (const auto refused = core::afterLookup(lookup.status)) {
    log.recordEvent({payment_id, parts_.clock.now(), "verified",
                     refused->verdict == core::Verdict::kNotFound ? "rejected" : "unavailable",
                     refused->verdict == core::Verdict::kNotFound ? refused->code : lookup.detail});
    return *refused;
  }
  const Payment& payment = lookup.payment;
  log.recordEvent({payment_id, parts_.clock.now(), "verified", "ok",
                   std::string("status=") + statusName(payment.status) +
                       " cancelled=" + std::to_string(payment.amount.cancelled)});

  const auto fulfilled = storage::findRefundablePayment(database, payment_id);
  core::CancellationFacts facts;
  facts.fulfilled = fulfilled.has_value();
  facts.portone_status = payment.status;
  facts.portone_cancelled = payment.amount.cancelled;
  if (fulfilled) {
    facts.recorded_refunded = fulfilled->refunded_amount;
    facts.own_refunds_in_flight = database.withConnection(
        [&](storage::Connection& c) { return storage::refundsInFlight(c, payment_id); }, true);
  }
  const core::CancellationStep step = core::decideCancellation(facts);
  if (step.action == core::CancellationAction::kNothing) {
    log.recordEvent({payment_id, parts_.clock.now(), "cancellation", "skipped", step.answer.code});
    return step.answer;
  }

  const Timestamp now = parts_.clock.now();
  const bool revoke = step.action == core::CancellationAction::kRevoke;
  std::string detail = std::to_string(step.outside_amount) + " KRW cancelled at PortOne (" +
                       std::to_string(payment.amount.cancelled) + " of " +
                       std::to_string(payment.amount.paid) + " in all)";
  ScheduleChanges changes;
  {
    storage::Transaction transaction(database);  // leaving without commit() rolls back
    transaction.forPayment(payment_id);
    if (!storage::recordCancelledOutside(transaction.connection(), payment_id,
                                         fulfilled->refunded_amount, step.outside_amount)) {
      log.recordEvent({payment_id, now, "cancellation", "skipped", core::kRecordedAlreadyCode});
      return core::Decision{core::Verdict::kCancelled, core::kRecordedAlreadyCode};
    }
    // Told once per cancelled total PortOne shows: a copy of the webhook adds none.
    transaction.events().paymentRefunded({payment_id, fulfilled->user_id,
                                          fulfilled->subscription_id, step.outside_amount,
                                          "portone-" + std::to_string(payment.amount.cancelled)});
    if (revoke && fulfilled->subscription_id) {
      detail += "; " + revokePaidFor(transaction, payment_id, detail, *fulfilled->subscription_id,
                                     "cancelled_at_portone", kPortOne, now, changes);
    } else if (revoke) {
      detail += "; " + std::to_string(transaction.subscriptions().revokeTicketsOf(payment_id)) +
                " ticket(s) revoked";
    } else {
      detail += "; entitlements unchanged";
      if (fulfilled->subscription_id) {
        audit(transaction, *fulfilled->subscription_id, "partial_cancel_at_portone",
              Audit{"portone", core::kPartialCancelledAtPortOneCode}, now,
              payment_id + ": " + detail);
      }
    }
    NoticeRequest notice;
    notice.channel = options_.admin_channel;
    notice.template_code = step.answer.code;
    notice.user_id = fulfilled->user_id;
    notice.payment_id = payment_id;
    notice.send_at = now;
    notice.fields = {{"cancelled_amount", std::to_string(step.outside_amount)},
                     {"cancelled_total", std::to_string(payment.amount.cancelled)}};
    if (fulfilled->subscription_id) {
      notice.fields["subscription_id"] = std::to_string(*fulfilled->subscription_id);
    }
    // One alert per amount PortOne showed cancelled: a redelivery adds none.
    const Outcome queued =
        transaction.store().sendNotice(notice, "notice:" + step.answer.code + ":" + payment_id +
                                                   ":" + std::to_string(payment.amount.cancelled));
    if (!queued.isOk()) throw storage::Error(queued.code() + ": " + queued.message());
    transaction.commit();
  }
  std::vector<storage::PaymentEvent> events{
      {payment_id, now, "cancellation", revoke ? "revoked" : "recorded", detail}};
  for (const auto& id : changes.revoked) {
    events.push_back({id, now, "portone:cancelled", "revoked",
                      "by portone: " + payment_id + " was cancelled at PortOne"});
  }
  log.recordEvents(events);
  return step.answer;
}

core::Decision OutsideChanges::billingKeyChanged(const std::string& billing_key) const {
  // The body is only a hint: PortOne must show the key deleted.
  const core::BillingKeyLookup key = parts_.gateway.lookUpBillingKey(billing_key);
  switch (key.status) {
    case core::LookupStatus::kFound:
      break;
    case core::LookupStatus::kNotFound:
      return core::Decision{core::Verdict::kNotFound, "BILLING_KEY_NOT_FOUND"};
    case core::LookupStatus::kUnavailable:
      return core::Decision{core::Verdict::kUnavailable, "PORTONE_UNAVAILABLE"};
    case core::LookupStatus::kRefused:
      return core::Decision{core::Verdict::kUnavailable, "PORTONE_REFUSED"};
  }
  if (key.issued) return core::Decision{core::Verdict::kStale, "BILLING_KEY_NOT_DELETED"};
  try {
    std::vector<std::int64_t> ids;
    {
      storage::Transaction transaction(parts_.database, storage::Connection::Access::kRead);
      ids = transaction.subscriptions().liveOnBillingKey(billing_key);
    }
    for (const std::int64_t id : ids) stopRenewing(id, billing_key);
  } catch (const storage::Transient&) {
    return core::Decision{core::Verdict::kUnavailable, "STORAGE_UNAVAILABLE"};
  } catch (const storage::Error&) {
    return core::Decision{core::Verdict::kUnavailable, "STORAGE_ERROR"};
  }
  return core::Decision{core::Verdict::kCancelled, kBillingKeyDeletedReason};
}

void OutsideChanges::stopRenewing(std::int64_t id, const std::string& billing_key) const {
  const Timestamp now = parts_.clock.now();
  ScheduleChanges changes;
  {
    storage::Transaction transaction(parts_.database);  // leaving without commit() rolls back
    auto record = transaction.subscriptions().lock(id);
    // Checked again under the row lock: the card may have changed, or a
    // redelivery found this done.
    if (!record || record->billing_key != billing_key ||
        (record->status != SubscriptionStatus::kActive &&
         record->status != SubscriptionStatus::kPastDue) ||
        record->cancel_reason == kBillingKeyDeletedReason) {
      return;
    }
    changes = revokePending(transaction, id);
    transaction.subscriptions().setCancelAtPeriodEnd(id, true, kBillingKeyDeletedReason);
    std::string detail = "card deleted at PortOne: CANCELLED at period end unless it is changed";
    for (const auto& p : changes.revoked) detail += ", withdrawing " + p;
    audit(transaction, id, "billing_key_deleted", kKeyDeleted, now, detail);
    NoticeRequest notice;
    notice.channel = options_.alimtalk_channel;
    notice.template_code = "REGISTER_CARD";
    notice.user_id = record->user_id;
    notice.send_at = now;
    notice.recipient_subscription_id = id;
    notice.fields = {{"subscription_id", std::to_string(id)},
                     {"plan", record->plan_id},
                     {"period_end", portone::formatRfc3339(record->period_end)}};
    const Outcome queued = transaction.store().sendNotice(
        notice, "notice:billing-key-deleted:sub" + std::to_string(id) + ":" +
                    portone::formatRfc3339(record->period_end));
    if (!queued.isOk()) throw storage::Error(queued.code() + ": " + queued.message());
    transaction.commit();
  }
  std::vector<storage::PaymentEvent> events;
  for (const auto& payment_id : changes.revoked) {
    events.push_back(
        {payment_id, now, "portone:billing_key_deleted", "revoked",
         "by portone: the card of subscription " + std::to_string(id) + " was deleted"});
  }
  if (!events.empty()) storage::PaymentLog(parts_.database).recordEvents(events);
}

}  // namespace paymentd::lifecycle
