// lifecycle/subscription_changes.h: the changes the lifecycle's operations
// share, each inside the caller's transaction and written into the
// subscription's audit trail. Withdrawn schedules are withdrawn at PortOne by
// the outbox once the transaction commits; new ones are created the same way.
#pragma once

#include <string>
#include <vector>

#include "lifecycle/operation_result.h"
#include "storage/subscription_records.h"
#include "storage/transaction.h"

namespace paymentd::lifecycle {

/// Why a subscription whose card was deleted at PortOne ends at period end
/// (its cancel reason, until a card change undoes it).
inline constexpr const char* kBillingKeyDeletedReason = "BILLING_KEY_DELETED";

/// What a change did to scheduled payments, for their traces.
struct ScheduleChanges {
  std::vector<std::string> revoked;
  std::vector<std::string> scheduled;
};

/// Withdraws every attempt still to run.
ScheduleChanges revokePending(storage::Transaction& transaction, std::int64_t subscription_id);

/// Schedules `entry`'s cycle again as its next attempt, on `billing_key`, at `time_to_pay`.
/// @return the new attempt's payment id.
std::string scheduleNextAttempt(storage::Transaction& transaction,
                                const storage::ScheduleEntry& entry, const std::string& billing_key,
                                Timestamp time_to_pay);

/// The charge a cancel (or a deleted card) withdrew, again, as the next
/// attempt of its cycle on `billing_key`, when the cycle is unpaid.
/// @return ", scheduling <payment id>", or "" when nothing was.
std::string scheduleWithdrawn(storage::Transaction& transaction, std::int64_t subscription_id,
                              const std::string& billing_key, ScheduleChanges& changes);

/// CANCELLED now: the tickets of periods not yet begun revoked, every pending
/// attempt withdrawn, the audit line written. @return a one-line summary.
std::string cancelNow(storage::Transaction& transaction, const storage::SubscriptionRecord& record,
                      const std::string& action, const Audit& audit, Timestamp now,
                      ScheduleChanges& changes);

/// A fulfilled payment with nothing left paid (refunded by an operator, or
/// cancelled in PortOne's console): its tickets revoked and, when it paid a
/// period not yet over, the subscription cancelled now (cancelNow()); else
/// the audit line alone, "<payment_id>: <what>; N ticket(s) revoked".
/// @return "N ticket(s) revoked" and what became of the subscription.
std::string revokePaidFor(storage::Transaction& transaction, const std::string& payment_id,
                          const std::string& what, std::int64_t subscription_id,
                          const std::string& action, const Audit& audit, Timestamp now,
                          ScheduleChanges& changes);

void audit(storage::Transaction& transaction, std::int64_t subscription_id,
           const std::string& action, const Audit& audit, Timestamp now, const std::string& detail);

}  // namespace paymentd::lifecycle
