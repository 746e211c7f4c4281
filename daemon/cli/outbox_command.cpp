#include "cli/outbox_command.h"

#include <ostream>

#include "cli/database_errors.h"
#include "cli/exit_codes.h"
#include "cli/whole_number.h"
#include "recurring/failure_policy.h"
#include "storage/errors.h"
#include "storage/existing_database.h"
#include "storage/migrations.h"
#include "storage/outbox_queue.h"
#include "storage/storage_config.h"

namespace paymentd::cli {
namespace {

constexpr std::size_t kListLimit = 500;

void printRows(const std::vector<storage::OutboxRow>& rows, std::ostream& out) {
  out << "ID\tKIND\tSTATUS\tATTEMPTS\tDUE (KST)\tKEY\tLAST ERROR\n";
  for (const auto& row : rows) {
    out << row.id << "\t" << row.kind << "\t" << row.status << "\t" << row.attempts << "\t"
        << recurring::seoulText(row.due_at) << "\t" << row.dedupe_key << "\t"
        << row.last_error.value_or("-") << "\n";
  }
}

}  // namespace

int runOutboxCommand(const config::Config& config, const std::vector<std::string>& args,
                     bool dead_only, std::ostream& out, std::ostream& err) {
  const bool list = args == std::vector<std::string>{"list"};
  const bool retry = args.size() == 2 && args[0] == "retry";
  if (!list && !retry) {
    err << "paymentd: usage: outbox list [--dead] | outbox retry ID\n";
    return kExitUsage;
  }
  std::int64_t id = 0;
  if (retry) {
    const auto number = parseWholeNumber(args[1], 18);
    if (!number) {
      err << "paymentd: outbox retry needs a numeric item ID, found '" << args[1] << "'\n";
      return kExitUsage;
    }
    id = *number;
  }
  return answeringDatabaseErrors(err, [&] {
    if (list) {
      // Looking never writes: no file is created, no schema migrated.
      auto database = storage::openExistingDatabase(config);
      printRows(storage::OutboxQueue(*database).list(dead_only, kListLimit), out);
      return kExitOk;
    }
    auto database = storage::Database::open(config.storage, storage::databaseOptions(config));
    storage::migrate(*database);
    storage::OutboxQueue queue(*database);
    if (!queue.retryNow(id)) {
      err << "paymentd: outbox item " << id << " does not exist or is done\n";
      return kExitFailed;
    }
    out << "outbox item " << id << " is pending again, due now\n";
    return kExitOk;
  });
}

}  // namespace paymentd::cli
