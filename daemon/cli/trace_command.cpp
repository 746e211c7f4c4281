#include "cli/trace_command.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iomanip>
#include <ostream>
#include <sstream>

#include "cli/exit_codes.h"
#include "portone/rfc3339.h"
#include "storage/errors.h"
#include "storage/existing_database.h"
#include "storage/payment_log.h"

namespace paymentd::cli {
namespace {

double milliseconds(std::chrono::microseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

struct Story {
  std::string payment_id;
  storage::PaymentCheck check;
  std::optional<storage::PaymentFailure> failure;
  std::vector<storage::PaymentEvent> events;
  std::vector<storage::TracedOutboxItem> outbox;
};

void printJson(const Story& story, std::ostream& out) {
  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("paymentId", story.payment_id);
  root.set("status", storage::checkStatusName(story.check.status));
  root.set("paymentType", story.check.payment_type ? Poco::Dynamic::Var(*story.check.payment_type)
                                                   : Poco::Dynamic::Var());
  Poco::JSON::Array events;
  for (const auto& event : story.events) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("at", portone::formatRfc3339(event.at));
    item.set("stage", event.stage);
    item.set("result", event.result);
    item.set("detail", event.detail);
    item.set("durationMs", milliseconds(event.duration));
    events.add(item);
  }
  root.set("events", events);
  if (story.failure) {
    Poco::JSON::Object failure(Poco::JSON_PRESERVE_KEY_ORDER);
    failure.set("code", story.failure->code);
    failure.set("message", story.failure->message);
    failure.set("refund", storage::refundStateName(story.failure->refund));
    root.set("failure", failure);
  } else {
    root.set("failure", Poco::Dynamic::Var());
  }
  Poco::JSON::Array outbox;
  for (const auto& item : story.outbox) {
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("kind", item.kind);
    entry.set("dedupeKey", item.dedupe_key);
    entry.set("status", item.status);
    entry.set("attempts", item.attempts);
    entry.set("dueAt", portone::formatRfc3339(item.due_at));
    entry.set("lastError", item.last_error);
    outbox.add(entry);
  }
  root.set("outbox", outbox);
  root.stringify(out);
  out << "\n";
}

void printText(const Story& story, std::ostream& out) {
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
  Story story;
  story.payment_id = payment_id;
  try {
    auto database = storage::openExistingDatabase(config);  // never creates or migrates
    storage::PaymentLog log(*database);
    story.check = log.check(payment_id);
    story.failure = log.failure(payment_id);
    story.events = log.events(payment_id);
    story.outbox = log.outboxItems(payment_id);
  } catch (const storage::NoDatabase& e) {
    err << "paymentd: " << e.what() << "\n";
    return kExitNoDatabase;
  } catch (const storage::Transient& e) {
    err << "paymentd: database unavailable: " << e.what() << "\n";
    return kExitUnavailable;
  } catch (const std::exception& e) {
    err << "paymentd: cannot read the trace: " << e.what() << "\n";
    return kExitFailed;
  }
  if (story.events.empty() && !story.failure &&
      story.check.status == storage::PaymentCheck::Status::kPending) {
    err << "paymentd: nothing is recorded for payment " << payment_id << "\n";
    return kExitFailed;
  }
  if (json) {
    printJson(story, out);
  } else {
    printText(story, out);
  }
  return kExitOk;
}

}  // namespace paymentd::cli
