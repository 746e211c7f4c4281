#include "cli/reconcile_command.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <ostream>

#include "cli/database_errors.h"
#include "cli/exit_codes.h"
#include "portone/rfc3339.h"
#include "recurring/failure_policy.h"
#include "storage/errors.h"
#include "storage/existing_database.h"
#include "storage/swept_payments.h"

namespace paymentd::cli {
namespace {

void printText(const std::vector<storage::SweptPayment>& rows, std::ostream& out) {
  out << "PAYMENT ID\tFIRST SEEN (KST)\tRESENDS\tDETAIL\n";
  for (const auto& row : rows) {
    out << row.payment_id << "\t" << recurring::seoulText(row.first_seen) << "\t" << row.resends
        << "\t" << row.detail << "\n";
  }
}

void printJson(const std::vector<storage::SweptPayment>& rows, std::ostream& out) {
  Poco::JSON::Array unresolved;
  for (const auto& row : rows) {
    Poco::JSON::Object item;
    item.set("paymentId", row.payment_id);
    item.set("firstSeen", portone::formatRfc3339(row.first_seen));
    if (row.paid_at) item.set("paidAt", portone::formatRfc3339(*row.paid_at));
    item.set("resends", row.resends);
    if (row.last_resend) item.set("lastResend", portone::formatRfc3339(*row.last_resend));
    item.set("state", storage::sweepStateName(row.state));
    item.set("detail", row.detail);
    unresolved.add(item);
  }
  Poco::JSON::Object data;
  data.set("unresolved", unresolved);
  Poco::JSON::Object root;
  root.set("data", data);
  root.stringify(out);
  out << "\n";
}

}  // namespace

int runReconcileCommand(const config::Config& config, const std::vector<std::string>& args,
                        bool json, std::ostream& out, std::ostream& err) {
  if (args != std::vector<std::string>{"report"}) {
    err << "paymentd: usage: reconcile report [--json]\n";
    return kExitUsage;
  }
  return answeringDatabaseErrors(err, [&] {
    auto database = storage::openExistingDatabase(config);
    const auto rows = storage::unresolvedSweptPayments(*database);
    if (json) {
      printJson(rows, out);
    } else {
      printText(rows, out);
    }
    return kExitOk;
  });
}

}  // namespace paymentd::cli
