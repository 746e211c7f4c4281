#include "lifecycle/subscription_view.h"

namespace paymentd::lifecycle {

SubscriptionView viewOf(storage::Transaction& transaction, storage::SubscriptionRecord record) {
  SubscriptionView view;
  const auto pending = transaction.schedules().pendingOf(record.id);
  if (!pending.empty()) {
    view.next_payment_id = pending.back().payment_id;
    view.next_charge_at = pending.back().request.time_to_pay;
  }
  view.history = transaction.subscriptions().events(record.id);
  view.record = std::move(record);
  return view;
}

}  // namespace paymentd::lifecycle
