#include "lifecycle/payment_story.h"

#include <Poco/JSON/Array.h>

#include "lifecycle/operator_json.h"

namespace paymentd::lifecycle {
namespace {

double milliseconds(std::chrono::microseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

}  // namespace

std::optional<PaymentStory> readPaymentStory(storage::Database& database,
                                             const std::string& payment_id) {
  storage::PaymentLog log(database);
  PaymentStory story;
  story.payment_id = payment_id;
  story.check = log.check(payment_id);
  story.failure = log.failure(payment_id);
  story.events = log.events(payment_id);
  story.outbox = log.outboxItems(payment_id);
  if (story.events.empty() && !story.failure &&
      story.check.status == storage::PaymentCheck::Status::kPending) {
    return std::nullopt;
  }
  return story;
}

Poco::JSON::Object::Ptr storyJson(const PaymentStory& story) {
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  root->set("paymentId", story.payment_id);
  root->set("status", storage::checkStatusName(story.check.status));
  root->set("paymentType", optionalJson(story.check.payment_type));
  Poco::JSON::Array events;
  for (const auto& event : story.events) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("at", timeJson(event.at));
    item.set("stage", event.stage);
    item.set("result", event.result);
    item.set("detail", event.detail);
    item.set("durationMs", milliseconds(event.duration));
    events.add(item);
  }
  root->set("events", events);
  if (story.failure) {
    Poco::JSON::Object failure(Poco::JSON_PRESERVE_KEY_ORDER);
    failure.set("code", story.failure->code);
    failure.set("message", story.failure->message);
    failure.set("refund", storage::refundStateName(story.failure->refund));
    root->set("failure", failure);
  } else {
    root->set("failure", Poco::Dynamic::Var());
  }
  Poco::JSON::Array outbox;
  for (const auto& item : story.outbox) {
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("kind", item.kind);
    entry.set("dedupeKey", item.dedupe_key);
    entry.set("status", item.status);
    entry.set("attempts", item.attempts);
    entry.set("dueAt", timeJson(item.due_at));
    entry.set("lastError", item.last_error);
    outbox.add(entry);
  }
  root->set("outbox", outbox);
  return root;
}

}  // namespace paymentd::lifecycle
