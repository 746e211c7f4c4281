// lifecycle/subscription_view.h: a subscription as operators see it: the
// record, the next charge the schedule ledger holds, its audit trail (who did
// what, and why), never the billing key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/subscription_records.h"
#include "storage/transaction.h"

namespace paymentd::lifecycle {

struct SubscriptionView {
  storage::SubscriptionRecord record;
  std::optional<std::string> next_payment_id;  // the attempt PortOne will run next
  std::optional<Timestamp> next_charge_at;
  std::vector<storage::SubscriptionEvent> history;  // oldest first
};

/// The view of `record` with its next attempt and history, read in `transaction`.
SubscriptionView viewOf(storage::Transaction& transaction, storage::SubscriptionRecord record);

}  // namespace paymentd::lifecycle
