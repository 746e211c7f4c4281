// storage/schedule_payload.h: reads back a `schedule_payment` item's payload.
//
// The inverse of the SDK's toOutboxItem(SchedulePaymentRequest); the one
// reader of that format in the host (the worker sending the schedule to
// PortOne, the store noting a subscription's next payment, the amount check).
// In storage, which owns the outbox table, so the store need not reach up to outbox/.
#pragma once

#include <stdexcept>
#include <string>

#include "paymentd/outbox.h"

namespace paymentd::storage {

/// @throws std::invalid_argument naming what is missing or malformed.
SchedulePaymentRequest parseSchedulePayload(const std::string& payload);

}  // namespace paymentd::storage
