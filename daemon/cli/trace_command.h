// cli/trace_command.h: `paymentd --config=FILE trace PAYMENT_ID [--json]`: the
// whole story of one payment (events with times and durations, the failure and
// refund, the outbox items it set in motion) from the database alone.
#pragma once

#include <iosfwd>
#include <string>

#include "config/config.h"

namespace paymentd::cli {

/// Exit codes: 0 printed; 1 nothing is recorded for the payment, or the
/// database cannot be read; 75 (EX_TEMPFAIL) when it is unreachable.
int tracePayment(const config::Config& config, const std::string& payment_id, bool json,
                 std::ostream& out, std::ostream& err);

}  // namespace paymentd::cli
