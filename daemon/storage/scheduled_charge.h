// storage/scheduled_charge.h: what paymentd asked PortOne to charge for a
// payment it scheduled itself (a renewal, or the retry of a failed one).
//
// The record is the payment's own `schedule_payment` outbox item (dedupe key
// "schedule:" + payment id): it is written in the transaction that asked for
// the schedule, so it exists before PortOne can run the schedule, and it is the
// very request the outbox worker sends, so it cannot disagree with what PortOne
// was asked. Outbox items are never deleted (docs/schema.md).
#pragma once

#include <optional>
#include <string>

#include "paymentd/outbox.h"
#include "storage/connection.h"

namespace paymentd::storage {

/// The schedule paymentd asked for under `payment_id`, read on `connection`
/// (inside the caller's transaction, if any); nullopt when paymentd never
/// asked for one. Throws Transient when the database is down, and Error when
/// the item's payload cannot be read (a bug: never guess an amount).
std::optional<SchedulePaymentRequest> findScheduledCharge(Connection& connection,
                                                          const std::string& payment_id);

}  // namespace paymentd::storage
