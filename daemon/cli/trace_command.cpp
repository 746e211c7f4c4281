#include "cli/trace_command.h"

#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/database_errors.h"
#include "cli/exit_codes.h"
#include "lifecycle/payment_story.h"
#include "portone/rfc3339.h"
#include "storage/errors.h"
#include "storage/existing_database.h"
#include "storage/payment_log.h"

namespace paymentd::cli {
namespace {

double milliseconds(std::chrono::microseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

void printText(const lifecycle::PaymentStory& story, std::ostream& out) {
  out << "payment " << story.payment_id << ": " << storage::checkStatusName(story.check.status);
  if (story.check.payment_type) out << " (" << *story.check.payment_type << ")";
  out << "\n";
  for (const auto& event : story.events) {
    out << "  " << portone::formatRfc3339(event.at) << "  " << std::left << std::setw(34)
        << event.stage << " " << std::setw(11) << event.result;
    if (event.duration.count() > 0) {
      std::ostringstream took;
      took << std::fixed << std::setprecision(1) << milliseconds(event.duration) << " ms";
      out << std::right << std::setw(10) << took.str();
    } else {
      out << std::setw(10) << "";
    }
    if (!event.detail.empty()) out << "  " << event.detail;
    out << "\n";
  }
  if (story.failure) {
    out << "failure: " << story.failure->code << ": " << story.failure->message
        << " (refund: " << storage::refundStateName(story.failure->refund) << ")\n";
  }
  if (!story.outbox.empty()) out << "outbox:\n";
  for (const auto& item : story.outbox) {
    // A zero due time means "as soon as the payment commits".
    const std::string due =
        item.due_at == Timestamp{} ? "at commit" : portone::formatRfc3339(item.due_at);
    out << "  " << item.kind << "  " << item.dedupe_key << "  " << item.status
        << "  attempts=" << item.attempts << "  due " << due;
    if (!item.last_error.empty()) out << "  last error: " << item.last_error;
    out << "\n";
  }
}

}  // namespace

int tracePayment(const config::Config& config, const std::string& payment_id, bool json,
                 std::ostream& out, std::ostream& err) {
  std::optional<lifecycle::PaymentStory> story;
  const int read = answeringDatabaseErrors(
      err,
      [&] {
        auto database = storage::openExistingDatabase(config);  // never creates or migrates
        story = lifecycle::readPaymentStory(*database, payment_id);
        return kExitOk;
      },
      "cannot read the trace: ");
  if (read != kExitOk) return read;
  if (!story) {
    err << "paymentd: nothing is recorded for payment " << payment_id << "\n";
    return kExitFailed;
  }
  if (json) {
    lifecycle::storyJson(*story)->stringify(out);
    out << "\n";
  } else {
    printText(*story, out);
  }
  return kExitOk;
}

}  // namespace paymentd::cli
