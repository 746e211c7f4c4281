#include "lifecycle/subscription_changes.h"

#include "storage/errors.h"

namespace paymentd::lifecycle {

ScheduleChanges revokePending(storage::Transaction& transaction, std::int64_t subscription_id) {
  ScheduleChanges changes;
  for (const auto& entry : transaction.schedules().pendingOf(subscription_id)) {
    if (transaction.revokeSchedule(entry.payment_id)) changes.revoked.push_back(entry.payment_id);
  }
  return changes;
}

std::string scheduleNextAttempt(storage::Transaction& transaction,
                                const storage::ScheduleEntry& entry, const std::string& billing_key,
                                Timestamp time_to_pay) {
  SchedulePaymentRequest next = entry.request;
  next.attempt = entry.request.attempt + 1;
  next.billing_key = billing_key;
  next.time_to_pay = time_to_pay;
  const Outcome scheduled = transaction.store().schedulePayment(next);
  if (!scheduled.isOk()) {
    if (scheduled.isTransient()) throw storage::Transient(scheduled.message());
    throw storage::Error(scheduled.code() + ": " + scheduled.message());
  }
  return scheduledPaymentId(next.subscription_id, next.cycle, next.attempt);
}

std::string scheduleWithdrawn(storage::Transaction& transaction, std::int64_t subscription_id,
                              const std::string& billing_key, ScheduleChanges& changes) {
  const auto latest = transaction.schedules().latestOf(subscription_id);
  if (!latest || latest->status != storage::ScheduleStatus::kRevoked ||
      transaction.schedules().paidAttempt(subscription_id, latest->request.cycle)) {
    return "";
  }
  const std::string next =
      scheduleNextAttempt(transaction, *latest, billing_key, latest->request.time_to_pay);
  changes.scheduled.push_back(next);
  return ", scheduling " + next;
}

std::string cancelNow(storage::Transaction& transaction, const storage::SubscriptionRecord& record,
                      const std::string& action, const Audit& who, Timestamp now,
                      ScheduleChanges& changes) {
  storage::SubscriptionRecords& subscriptions = transaction.subscriptions();
  subscriptions.cancel(record.id);
  const std::int64_t tickets = subscriptions.revokeTicketsAfter(record.id, now);
  const ScheduleChanges revoked = revokePending(transaction, record.id);
  changes.revoked.insert(changes.revoked.end(), revoked.revoked.begin(), revoked.revoked.end());
  std::string detail = "CANCELLED now; " + std::to_string(tickets) + " future ticket(s) revoked";
  for (const auto& id : revoked.revoked) detail += ", withdrawing " + id;
  audit(transaction, record.id, action, who, now, detail);
  return detail;
}

std::string revokePaidFor(storage::Transaction& transaction, const std::string& payment_id,
                          const std::string& what, std::int64_t subscription_id,
                          const std::string& action, const Audit& who, Timestamp now,
                          ScheduleChanges& changes) {
  storage::SubscriptionRecords& subscriptions = transaction.subscriptions();
  const bool current = subscriptions.paysPeriodAfter(payment_id, now);
  const std::int64_t tickets = subscriptions.revokeTicketsOf(payment_id);
  std::string detail = std::to_string(tickets) + " ticket(s) revoked";
  auto record = subscriptions.lock(subscription_id);
  if (current && record && record->status != SubscriptionStatus::kCancelled) {
    detail += "; subscription " + std::to_string(record->id) + " " +
              cancelNow(transaction, *record, action, who, now, changes);
  } else if (record) {
    audit(transaction, record->id, action, who, now, payment_id + ": " + what + "; " + detail);
  }
  return detail;
}

void audit(storage::Transaction& transaction, std::int64_t subscription_id,
           const std::string& action, const Audit& who, Timestamp now, const std::string& detail) {
  transaction.subscriptions().record({subscription_id, now, action, who.actor, who.reason, detail});
}

}  // namespace paymentd::lifecycle
