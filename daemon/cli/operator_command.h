// cli/operator_command.h: the operator API on the command line, acting on the
// database, PortOne and the outbox directly, so it works while no daemon runs
// (docs/operators.md):
//
//   paymentd --config=FILE user show USER_ID
//   paymentd --config=FILE subscription show ID
//   paymentd --config=FILE subscription cancel ID [--at=period_end|now] --reason=TEXT
//   paymentd --config=FILE subscription resume ID --reason=TEXT
//   paymentd --config=FILE subscription card ID --billing-key=KEY --reason=TEXT
//   paymentd --config=FILE subscription retry ID --reason=TEXT
//   paymentd --config=FILE payment refund PAYMENT_ID [--amount=WON] --reason=TEXT
//
// Writes take --actor (default: the user running it) and --idempotency-key
// (default: a new one per run); the answer is the admin API's JSON. The
// outbox items a write enqueues are carried out by the next daemon to run.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace paymentd::cli {

struct OperatorArgs {
  std::optional<std::string> at;
  std::optional<std::string> reason;
  std::optional<std::string> actor;
  std::optional<std::string> amount;
  std::optional<std::string> billing_key;
  std::optional<std::string> idempotency_key;
};

/// Whether `args` name an operator command (`user ...`, `subscription ...`, `payment ...`).
bool isOperatorCommand(const std::vector<std::string>& args);

/// Exit codes: 0 done (the answer on `out`); 1 refused (the API's error on
/// `err`); 64 a usage error (also a write without --reason); 75 (EX_TEMPFAIL) the database, the
/// lock or PortOne cannot be reached: try again with the same --idempotency-key.
int runOperatorCommand(const config::Config& config, const std::vector<std::string>& args,
                       const OperatorArgs& options, std::ostream& out, std::ostream& err);

}  // namespace paymentd::cli
