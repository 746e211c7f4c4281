// outbox/v1_schedules.h: a schedule of a V1 (Iamport) subscription at PortOne's V1 API,
// as ScheduleExecutor sends and withdraws it for a ledger row whose portone_version is V1.
//
// V1 schedules by `customer_uid` (the row's billing key) and `merchant_uid` (the row's
// payment id, deterministic), and reports the charge to the row's notice URL (paymentd's
// V1 webhook) without claims: the V1 webhook route reads them from the ledger row.
#pragma once

#include <string>

#include "outbox/attempt.h"
#include "portone/v1_client.h"
#include "storage/database.h"
#include "storage/schedule_ledger.h"

namespace paymentd::outbox {

/// POST /subscribe/payments/schedule for `entry`, then marks it accepted (its PortOne
/// schedule id is its merchant_uid). V1 refuses a merchant_uid it holds already and
/// names no error type for it: a refusal is retried, and ends DEAD with V1's message.
Attempt sendV1Schedule(const portone::V1Client& v1, storage::Database& database,
                       const storage::ScheduleEntry& entry, const std::string& notice_url);

/// POST /subscribe/payments/unschedule of `entry`'s merchant_uid on its customer_uid.
/// A refusal means V1 holds nothing left to withdraw (run or unscheduled): done.
Attempt revokeV1Schedule(const portone::V1Client& v1, const storage::ScheduleEntry& entry);

}  // namespace paymentd::outbox
