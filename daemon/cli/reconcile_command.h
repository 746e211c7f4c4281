// cli/reconcile_command.h: `paymentd --config=FILE reconcile report [--json]`: the paid
// payments the payment sweep left to an operator (docs/operations.md, "The payment sweep").
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/config.h"

namespace paymentd::cli {

/// `args` are the words after `reconcile`. Lists the UNRESOLVED swept payments that still
/// have no record (id, first seen, resends, why). Looking never writes. Exit codes: 0
/// listed (an empty list too); 64 bad arguments; 66 no paymentd database; 75 database
/// unreachable; 1 another failure.
int runReconcileCommand(const config::Config& config, const std::vector<std::string>& args,
                        bool json, std::ostream& out, std::ostream& err);

}  // namespace paymentd::cli
