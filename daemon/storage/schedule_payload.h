// storage/schedule_payload.h: the `schedule_payment` outbox item's format.
//
// Since schema 7 an item names only its payment id; what to charge is the
// schedule ledger's row (storage/schedule_ledger.h). The older format, a whole
// SchedulePaymentRequest as JSON (the SDK's toOutboxItem() for plugins built
// against API 1.0/1.1), is still read where it enters: at enqueue and in the
// schema 7 backfill.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "paymentd/outbox.h"

namespace paymentd::storage {

/// The item that withdraws a schedule at PortOne (DELETE /payment-schedules),
/// enqueued when another attempt paid its cycle. Its payload is schedulePayload().
inline constexpr const char* kOutboxRevokeSchedule = "revoke_schedule";

/// "revoke:" + payment id.
std::string revokeDedupeKey(const std::string& payment_id);
/// "schedule:" + payment id: one item per scheduled payment, ever.
std::string scheduleDedupeKey(const std::string& payment_id);
/// {"payment_id": ...}
std::string schedulePayload(const std::string& payment_id);

/// The payment id of a schedule_payment or revoke_schedule payload, in either
/// format; nullopt when it names none.
std::optional<std::string> schedulePaymentIdOf(const std::string& payload);

/// Reads the API 1.0/1.1 payload. @throws std::invalid_argument naming what is
/// missing or malformed.
SchedulePaymentRequest parseSchedulePayload(const std::string& payload);

}  // namespace paymentd::storage
