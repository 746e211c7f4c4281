// lifecycle/subscription_view.h: a subscription as operators see it: the
// record, the next charge the schedule ledger holds, never the billing key.
#pragma once

#include <optional>
#include <string>

#include "storage/subscription_records.h"
#include "storage/transaction.h"

namespace paymentd::lifecycle {

struct SubscriptionView {
  storage::SubscriptionRecord record;
  std::optional<std::string> next_payment_id;  // the attempt PortOne will run next
  std::optional<Timestamp> next_charge_at;
};

/// The view of `record` with its next attempt, read in `transaction`.
SubscriptionView viewOf(storage::Transaction& transaction, storage::SubscriptionRecord record);

}  // namespace paymentd::lifecycle
