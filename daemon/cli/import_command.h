// cli/import_command.h: `paymentd --config=FILE subscription import --user=U --plan=PLAN_ID
// --customer-uid=UID --period-end=RFC3339 [--price=KRW]`, which brings in a subscriber whose
// billing key is a PortOne V1 (Iamport) customer_uid (docs/operators.md).
//
// One transaction: an ACTIVE subscription marked V1 until `period-end`, its audit line, and
// its next renewal (cycle 1, at `period-end`, for `price`, the plan's by default) in the
// schedule ledger and the outbox, which the next daemon to run sends through V1. The same
// user, plan and customer_uid again is the same subscription: its id, nothing changed.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "config/config.h"

namespace paymentd::cli {

struct ImportArgs {
  std::optional<std::string> user;
  std::optional<std::string> plan;
  std::optional<std::string> customer_uid;
  std::optional<std::string> period_end;
  std::optional<std::string> price;
  std::optional<std::string> actor;
};

/// Whether `args` are `subscription import`.
bool isImportCommand(const std::vector<std::string>& args);

/// Prints the subscription's id. Exit codes: 0 done; 1 refused (no portone.v1, an unknown or
/// not monthly plan, a live subscription of the plan on another key); 64 a bad or missing
/// argument; 75 the database did not answer.
int importSubscription(const config::Config& config, const ImportArgs& args, std::ostream& out,
                       std::ostream& err);

}  // namespace paymentd::cli
