// portone-sandbox/sandbox_actions.h: state changes shared by the PortOne API,
// the control API and the clock. Callers hold `context.state.mutex`.
#pragma once

#include <string>
#include <vector>

#include "sandbox_context.h"

namespace paymentd::sandbox {

/// Sends a 2024-04-25 webhook about `payment` to its notice URLs (if any).
void notifyPayment(SandboxContext& context, const SandboxPayment& payment, const std::string& type,
                   const std::string& cancellation_id = "");

void markPaid(SandboxContext& context, SandboxPayment& payment);
void markFailed(SandboxContext& context, SandboxPayment& payment, const std::string& reason,
                const std::string& pg_code, const std::string& pg_message);

/// Charges `payment` to the card behind `billing_key` by its script; the
/// payment ends PAID or FAILED (no webhook). Returns whether it was paid.
bool chargeBillingKey(SandboxContext& context, SandboxBillingKey& billing_key,
                      SandboxPayment& payment);

/// Runs every SCHEDULED schedule whose time has come (sandbox clock) and sends
/// its Transaction.Paid / Transaction.Failed webhook. Returns the schedule ids run.
std::vector<std::string> runDueSchedules(SandboxContext& context);

}  // namespace paymentd::sandbox
