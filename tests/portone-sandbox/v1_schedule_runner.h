// portone-sandbox/v1_schedule_runner.h: PortOne V1 charging its schedules when their time
// comes on the sandbox clock, as V2's runDueSchedules does. Callers hold the state's mutex.
#pragma once

#include <string>
#include <vector>

#include "sandbox_context.h"

namespace paymentd::sandbox {

/// Charges every `scheduled` V1 schedule whose schedule_at has come: a new V1 payment
/// (`imp_uid` fresh, the schedule's merchant_uid, customer_uid and amount; usage
/// `payment.scheduled`), paid unless a card registered under the customer_uid
/// (POST /_sandbox/billing-keys) declines or was deleted; the schedule becomes
/// `executed` (paid) or `failed`, and V1's webhook `{imp_uid, merchant_uid, status}`
/// goes unsigned to its notice_url. Returns the merchant_uids run.
std::vector<std::string> runDueV1Schedules(SandboxContext& context);

}  // namespace paymentd::sandbox
