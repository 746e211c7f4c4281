// lifecycle/outside_changes.h: what paymentd does about changes made outside
// it (docs/operators.md#changes-made-in-portones-console): a payment refunded
// in PortOne's console or charged back, a billing key deleted there.
//
// Each webhook is only a hint: PortOne is asked what is true, under the same
// per-payment lock the payment service and operator refunds take, and the
// rules are the core's (core/cancellation_decision.h). Changes are one
// transaction plus outbox items (schedule withdrawals, notices), written into
// the subscription's audit trail and the payment's trace. A redelivery, or the
// webhook of a refund paymentd made itself, changes nothing. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/decision.h"
#include "lifecycle/subscription_operations.h"
#include "lock/payment_lock.h"

namespace paymentd::lifecycle {

struct OutsideChangeOptions {
  std::chrono::milliseconds lock_ttl{60000};
  std::string admin_channel = "admin_slack";
  std::string alimtalk_channel = "alimtalk";  // the subscriber's notice of a deleted card
};

class OutsideChanges {
 public:
  OutsideChanges(LifecycleParts parts, lock::PaymentLock& lock, OutsideChangeOptions options)
      : parts_(parts), lock_(lock), options_(std::move(options)) {}

  /// Transaction.Cancelled or Transaction.PartialCancelled (`type_name`, for
  /// the trace) of `payment_id`: fully cancelled outside paymentd, what it paid
  /// for is revoked as "cancel now" does; partly, the amount is recorded and
  /// nothing is revoked. The admin channel is told either way.
  core::Decision paymentCancelled(const std::string& payment_id,
                                  const std::string& type_name) const;

  /// BillingKey.Deleted or BillingKey.Updated: the key is read at PortOne, and
  /// nothing changes unless it shows the key deleted (kStale). Then every live
  /// subscription on it stops renewing on it (its pending charges withdrawn,
  /// the subscriber told to register a card) and ends at its period's end
  /// (BILLING_KEY_DELETED) unless the card is changed before.
  core::Decision billingKeyChanged(const std::string& billing_key) const;

 private:
  core::Decision paymentCancelledLocked(const std::string& payment_id) const;
  /// One subscription on a deleted key, in its own transaction.
  void stopRenewing(std::int64_t subscription_id, const std::string& billing_key) const;

  LifecycleParts parts_;
  lock::PaymentLock& lock_;
  OutsideChangeOptions options_;
};

}  // namespace paymentd::lifecycle
