// cli/outbox_command.h: `paymentd --config=FILE outbox list [--dead]` and
// `paymentd --config=FILE outbox retry ID`, for operators (docs/operators.md).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/config.h"

namespace paymentd::cli {

/// `args` are the words after `outbox`. Exit codes: 0 done; 1 bad arguments,
/// unknown or finished item, unusable database; 75 database unreachable.
int runOutboxCommand(const config::Config& config, const std::vector<std::string>& args,
                     bool dead_only, std::ostream& out, std::ostream& err);

}  // namespace paymentd::cli
