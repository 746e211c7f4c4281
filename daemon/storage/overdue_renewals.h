// storage/overdue_renewals.h: scheduled payments that should have settled by
// now and did not: no fulfilment, no counted failure, no refund or other
// terminal failure.
// Either PortOne's webhook never reached any daemon (lost, or answered 503
// until PortOne gave up), or PortOne has not run the schedule yet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.h"

namespace paymentd::storage {

struct OverdueRenewal {
  std::string payment_id;  // made by scheduledPaymentId()
  std::int64_t subscription_id = 0;
  std::string user_id;
  std::string plan_id;
  Timestamp due;
  /// Its schedule_payment item is DEAD: PortOne refused the schedule (or never
  /// answered), so unless PortOne shows the payment, nothing will charge it.
  bool schedule_dead = false;
};

/// ACTIVE or PAST_DUE subscriptions whose next payment was due before
/// `due_before` (and not before `due_since`: older ones are given up,
/// storage/abandoned_work.h) and is unsettled, oldest first. One statement.
std::vector<OverdueRenewal> overdueRenewals(Database& database, Timestamp due_before,
                                            Timestamp due_since, std::size_t limit);

/// The SQL condition on `subscriptions s` that its next payment is unsettled.
const char* unsettledRenewalCondition();

}  // namespace paymentd::storage
