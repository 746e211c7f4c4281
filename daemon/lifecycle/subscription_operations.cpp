#include "lifecycle/subscription_operations.h"

#include <optional>

#include "failpoint/failpoint.h"
#include "storage/errors.h"
#include "storage/payment_log.h"
#include "storage/transaction.h"

namespace paymentd::lifecycle {
namespace {

using Kind = Refusal::Kind;
using storage::ScheduleStatus;

constexpr const char* kSystemActor = "paymentd";

Refusal notFound(std::int64_t id) {
  return refused(Kind::kNotFound, "SUBSCRIPTION_NOT_FOUND",
                 "no subscription " + std::to_string(id));
}

bool live(const storage::SubscriptionRecord& r) {
  return r.status == SubscriptionStatus::kActive || r.status == SubscriptionStatus::kPastDue;
}

}  // namespace

template <typename Change>
OperationResult<SubscriptionView> SubscriptionOperations::change(std::int64_t id,
                                                                 const std::string& action,
                                                                 const Audit& audit,
                                                                 Change&& change) const {
  ScheduleChanges changes;
  try {
    storage::Transaction transaction(parts_.database);  // leaving without commit() rolls back
    auto record = transaction.subscriptions().lock(id);
    if (!record) return notFound(id);
    if (std::optional<Refusal> refusal = change(transaction, *record, changes)) return *refusal;
    auto after = transaction.subscriptions().find(id);
    SubscriptionView view = viewOf(transaction, std::move(*after));
    transaction.commit();
    trace(action, audit, changes);
    return view;
  } catch (const storage::Transient& e) {
    return refused(Kind::kUnavailable, "DATABASE_UNAVAILABLE", e.what());
  }
}

void SubscriptionOperations::trace(const std::string& action, const Audit& audit,
                                   const ScheduleChanges& changes) const {
  std::vector<storage::PaymentEvent> events;
  const std::string who = "by " + audit.actor + ": " + audit.reason;
  for (const auto& id : changes.revoked) {
    events.push_back({id, parts_.clock.now(), "operator:" + action, "revoked", who});
  }
  for (const auto& id : changes.scheduled) {
    events.push_back({id, parts_.clock.now(), "operator:" + action, "scheduled", who});
  }
  if (events.empty()) return;
  try {
    storage::PaymentLog(parts_.database).recordEvents(events);
  } catch (const storage::Error&) {
    // The change is committed and audited on the subscription; a trace line
    // lost to an outage must not turn it into an error.
  }
}

OperationResult<SubscriptionView> SubscriptionOperations::show(std::int64_t id) const {
  try {
    storage::Transaction transaction(parts_.database, storage::Connection::Access::kRead);
    auto record = transaction.subscriptions().find(id);
    if (!record) return notFound(id);
    return viewOf(transaction, std::move(*record));
  } catch (const storage::Transient& e) {
    return refused(Kind::kUnavailable, "DATABASE_UNAVAILABLE", e.what());
  }
}

OperationResult<SubscriptionView> SubscriptionOperations::cancel(std::int64_t id, CancelAt at,
                                                                 const Audit& audit) const {
  const Timestamp now = parts_.clock.now();
  const std::string action = at == CancelAt::kNow ? "cancel" : "cancel_at_period_end";
  return change(id, action, audit,
                [&](storage::Transaction& transaction, storage::SubscriptionRecord& record,
                    ScheduleChanges& changes) -> std::optional<Refusal> {
                  if (record.status == SubscriptionStatus::kCancelled) return std::nullopt;
                  // A period that has ended (PAST_DUE, FAILED) has nothing left to wait for.
                  if (at == CancelAt::kNow || !live(record) || record.period_end <= now) {
                    cancelNow(transaction, record, action, audit, now, changes);
                    failpoint::hit(failpoint::kCancelNowRevoked);
                    return std::nullopt;
                  }
                  if (record.cancel_at_period_end) return std::nullopt;
                  transaction.subscriptions().setCancelAtPeriodEnd(record.id, true);
                  changes = revokePending(transaction, record.id);
                  std::string detail = "CANCELLED at period end";
                  for (const auto& p : changes.revoked) detail += ", withdrawing " + p;
                  lifecycle::audit(transaction, record.id, action, audit, now, detail);
                  return std::nullopt;
                });
}

OperationResult<SubscriptionView> SubscriptionOperations::resume(std::int64_t id,
                                                                 const Audit& audit) const {
  const Timestamp now = parts_.clock.now();
  return change(
      id, "resume", audit,
      [&](storage::Transaction& transaction, storage::SubscriptionRecord& record,
          ScheduleChanges& changes) -> std::optional<Refusal> {
        if (live(record) && !record.cancel_at_period_end) return std::nullopt;  // nothing to undo
        if (record.cancel_reason == kBillingKeyDeletedReason) {
          return refused(Kind::kConflict, kBillingKeyDeletedReason,
                         "subscription " + std::to_string(id) +
                             " ends because its card was deleted at PortOne: change "
                             "the card instead");
        }
        if (!live(record) || record.period_end <= now) {
          return refused(Kind::kConflict, "NOT_RESUMABLE",
                         "subscription " + std::to_string(id) +
                             " is cancelled (or its period ended): only a cancel at period end "
                             "can be undone, before the period ends");
        }
        transaction.subscriptions().setCancelAtPeriodEnd(record.id, false);
        std::string detail = "cancel at period end undone";
        if (record.billing_key) {
          detail += scheduleWithdrawn(transaction, record.id, *record.billing_key, changes);
        }
        transaction.events().subscriptionChanged(storage::event_type::kSubscriptionResumed, record,
                                                 std::nullopt);
        lifecycle::audit(transaction, record.id, "resume", audit, now, detail);
        return std::nullopt;
      });
}

OperationResult<SubscriptionView> SubscriptionOperations::changeCard(std::int64_t id,
                                                                     const std::string& billing_key,
                                                                     const Audit& audit) const {
  if (billing_key.empty()) {
    return refused(Kind::kInvalid, "BILLING_KEY_REQUIRED", "billingKey is required");
  }
  std::optional<std::string> user;
  try {
    storage::Transaction transaction(parts_.database);
    auto record = transaction.subscriptions().find(id);
    if (!record) return notFound(id);
    user = record->user_id;
  } catch (const storage::Transient& e) {
    return refused(Kind::kUnavailable, "DATABASE_UNAVAILABLE", e.what());
  }
  // Asked before the transaction: no row stays locked while PortOne answers.
  const core::BillingKeyLookup key = parts_.gateway.lookUpBillingKey(billing_key);
  switch (key.status) {
    case core::LookupStatus::kFound:
      break;
    case core::LookupStatus::kNotFound:
      return refused(Kind::kRefused, "BILLING_KEY_NOT_FOUND", "PortOne has no such billing key");
    case core::LookupStatus::kUnavailable:
      return refused(Kind::kUnavailable, "PORTONE_UNAVAILABLE", key.detail);
    case core::LookupStatus::kRefused:
      return refused(Kind::kRefused, key.error_type.empty() ? "PORTONE_REFUSED" : key.error_type,
                     key.detail);
  }
  if (!key.issued) {
    return refused(Kind::kRefused, "BILLING_KEY_DELETED", "the billing key was deleted at PortOne");
  }
  if (key.customer_id != user) {
    return refused(Kind::kRefused, "BILLING_KEY_OF_ANOTHER_CUSTOMER",
                   "PortOne issued this billing key for another customer");
  }
  const Timestamp now = parts_.clock.now();
  return change(
      id, "card", audit,
      [&](storage::Transaction& transaction, storage::SubscriptionRecord& record,
          ScheduleChanges& changes) -> std::optional<Refusal> {
        if (record.status == SubscriptionStatus::kCancelled) {
          return refused(Kind::kConflict, "SUBSCRIPTION_CANCELLED",
                         "subscription " + std::to_string(id) + " is cancelled");
        }
        if (record.billing_key == billing_key) return std::nullopt;
        // Also moves a V1 subscription to V2 for good: the attempts recorded below go
        // through V2, the old key's are unscheduled at V1 (outbox/v1_schedules.h).
        transaction.subscriptions().changeCard(record.id, billing_key, key.card_last_digits);
        std::string detail = "card changed";
        if (record.portone_version == storage::PortOneVersion::kV1) {
          detail += ", from a PortOne V1 customer_uid to a V2 billing key";
        }
        if (key.card_last_digits) detail += " to one ending " + *key.card_last_digits;
        // The pending charge moves: withdrawn on the old key, again on the new one.
        for (const auto& pending : transaction.schedules().pendingOf(record.id)) {
          if (!transaction.revokeSchedule(pending.payment_id)) continue;
          changes.revoked.push_back(pending.payment_id);
          const std::string next =
              scheduleNextAttempt(transaction, pending, billing_key, pending.request.time_to_pay);
          changes.scheduled.push_back(next);
          detail += ", " + pending.payment_id + " moved to " + next;
        }
        // The card that was deleted at PortOne is replaced: renewing goes on.
        if (record.cancel_at_period_end && record.cancel_reason == kBillingKeyDeletedReason) {
          transaction.subscriptions().setCancelAtPeriodEnd(record.id, false);
          detail += ", the cancel for the deleted card undone" +
                    scheduleWithdrawn(transaction, record.id, billing_key, changes);
        }
        lifecycle::audit(transaction, record.id, "card", audit, now, detail);
        return std::nullopt;
      });
}

OperationResult<SubscriptionView> SubscriptionOperations::retryNow(std::int64_t id,
                                                                   const Audit& audit) const {
  const Timestamp now = parts_.clock.now();
  return change(
      id, "retry", audit,
      [&](storage::Transaction& transaction, storage::SubscriptionRecord& record,
          ScheduleChanges& changes) -> std::optional<Refusal> {
        storage::SubscriptionRecords& subscriptions = transaction.subscriptions();
        if (record.status == SubscriptionStatus::kFailed) {
          const auto failed_at = subscriptions.failedAt(record.id);
          if (!failed_at || now - *failed_at > kRetryWindow) {
            return refused(Kind::kConflict, "RETRY_WINDOW_PASSED",
                           "subscription " + std::to_string(id) +
                               " failed more than 30 days ago: it needs a new subscription");
          }
        } else if (record.status != SubscriptionStatus::kPastDue) {
          return refused(
              Kind::kConflict, "NOT_PAST_DUE",
              "subscription " + std::to_string(id) + " is " +
                  (record.status == SubscriptionStatus::kActive ? "ACTIVE" : "CANCELLED") +
                  ": only a PAST_DUE or FAILED subscription is retried");
        }
        if (!record.billing_key) {
          return refused(Kind::kConflict, "NO_BILLING_KEY",
                         "subscription " + std::to_string(id) + " has no card to charge");
        }
        storage::ScheduleLedger& ledger = transaction.schedules();
        const auto latest = ledger.latestOf(record.id);
        if (!latest || ledger.paidAttempt(record.id, latest->request.cycle)) {
          return refused(Kind::kConflict, "NOTHING_TO_RETRY",
                         "subscription " + std::to_string(id) + " owes no unpaid cycle");
        }
        // A retry for now is already on its way: asking again changes nothing.
        if ((latest->status == ScheduleStatus::kPending ||
             latest->status == ScheduleStatus::kScheduled) &&
            latest->request.time_to_pay <= now) {
          return std::nullopt;
        }
        changes = revokePending(transaction, record.id);
        const std::string next =
            scheduleNextAttempt(transaction, *latest, *record.billing_key, now);
        changes.scheduled.push_back(next);
        if (record.status == SubscriptionStatus::kFailed) {
          subscriptions.setStatus(record.id, SubscriptionStatus::kPastDue);
        }
        std::string detail =
            "retrying cycle " + std::to_string(latest->request.cycle) + " now as " + next;
        for (const auto& p : changes.revoked) detail += ", withdrawing " + p;
        lifecycle::audit(transaction, record.id, "retry", audit, now, detail);
        return std::nullopt;
      });
}

std::size_t SubscriptionOperations::cancelDue(std::size_t limit) const {
  const Timestamp now = parts_.clock.now();
  std::vector<std::int64_t> due;
  {
    storage::Transaction transaction(parts_.database);
    due = transaction.subscriptions().dueCancellations(now, limit);
  }
  std::size_t cancelled = 0;
  const Audit system{kSystemActor, "the period ended after a cancel at period end"};
  for (const std::int64_t id : due) {
    const auto result =
        change(id, "period_end", system,
               [&](storage::Transaction& transaction, storage::SubscriptionRecord& record,
                   ScheduleChanges& changes) -> std::optional<Refusal> {
                 // Checked again under the row lock: a resume may have come first.
                 if (!record.cancel_at_period_end || !live(record) || record.period_end > now) {
                   return refused(Kind::kConflict, "NOT_DUE", "no longer due");
                 }
                 const Audit why =
                     record.cancel_reason ? Audit{kSystemActor, *record.cancel_reason} : system;
                 cancelNow(transaction, record, "period_end", why, now, changes);
                 return std::nullopt;
               });
    if (result.ok()) ++cancelled;
  }
  return cancelled;
}

}  // namespace paymentd::lifecycle
