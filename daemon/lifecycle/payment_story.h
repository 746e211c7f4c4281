// lifecycle/payment_story.h: one payment's whole story from the database
// (its events with times and durations, the failure and refund, the outbox
// items it set in motion), and its JSON: what `paymentd trace --json` prints
// and the admin API's GET /admin/v1/payments/{paymentId} answers.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/payment_log.h"

namespace paymentd::lifecycle {

struct PaymentStory {
  std::string payment_id;
  storage::PaymentCheck check;
  std::optional<storage::PaymentFailure> failure;
  std::vector<storage::PaymentEvent> events;
  std::vector<storage::TracedOutboxItem> outbox;
};

/// nullopt when nothing is recorded for the payment. Throws storage errors.
std::optional<PaymentStory> readPaymentStory(storage::Database& database,
                                             const std::string& payment_id);

Poco::JSON::Object::Ptr storyJson(const PaymentStory& story);

}  // namespace paymentd::lifecycle
