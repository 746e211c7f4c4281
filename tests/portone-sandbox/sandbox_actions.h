// portone-sandbox/sandbox_actions.h: state changes shared by the PortOne API,
// the control API and the clock. Callers hold `context.state.mutex`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox_context.h"

namespace paymentd::sandbox {

/// Sends a 2024-04-25 webhook about `payment` to its notice URLs (if any).
void notifyPayment(SandboxContext& context, const SandboxPayment& payment, const std::string& type,
                   const std::string& cancellation_id = "");

/// Sends a BillingKey.* webhook about `billing_key` to `urls` (PortOne sends
/// these to the URL of its console, not to a payment's notice URLs).
void notifyBillingKey(SandboxContext& context, const SandboxBillingKey& billing_key,
                      const std::string& type, const std::vector<std::string>& urls);

void markPaid(SandboxContext& context, SandboxPayment& payment);
void markFailed(SandboxContext& context, SandboxPayment& payment, const std::string& reason,
                const std::string& pg_code, const std::string& pg_message);

/// Cancels `amount` of a PAID or PARTIAL_CANCELLED `payment` (the caller
/// checked it is cancellable) and sends Transaction.Cancelled or
/// Transaction.PartialCancelled unless `skip_webhook`.
SandboxCancellation cancelPaid(SandboxContext& context, SandboxPayment& payment,
                               std::int64_t amount, const std::string& reason,
                               const std::string& trigger, bool skip_webhook);

/// Charges `payment` to the card behind `billing_key` by its script; the
/// payment ends PAID or FAILED (no webhook). Returns whether it was paid.
bool chargeBillingKey(SandboxContext& context, SandboxBillingKey& billing_key,
                      SandboxPayment& payment);

/// Runs every SCHEDULED schedule whose time has come (sandbox clock) and sends
/// its Transaction.Paid / Transaction.Failed webhook, then the due V1 schedules
/// (v1_schedule_runner.h). Returns the schedule ids (V1: merchant_uids) run.
std::vector<std::string> runDueSchedules(SandboxContext& context);

}  // namespace paymentd::sandbox
