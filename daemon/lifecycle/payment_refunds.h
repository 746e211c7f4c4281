// lifecycle/payment_refunds.h: an operator gives back all or part of a
// payment paymentd fulfilled (docs/operators.md).
//
// Under the payment's lock: PortOne's cancellable balance is read, the intent
// (amount and that balance) is kept before PortOne is asked, and PortOne's
// cancel carries both the balance (currentCancellableAmount: a stale view can
// never give back more than is left) and an idempotency key derived from the
// request's, so a repeated request is one cancel. When the money is back, one
// transaction records the amount; a refund that leaves nothing paid revokes
// the payment's tickets and, when it paid a period not yet over, cancels the
// subscription now. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "lifecycle/subscription_operations.h"
#include "lock/payment_lock.h"

namespace paymentd::lifecycle {

struct RefundView {
  std::string payment_id;
  std::int64_t refunded_amount = 0;     // given back so far, by operators
  std::int64_t cancellable_amount = 0;  // what PortOne can still give back
};

class PaymentRefunds {
 public:
  PaymentRefunds(LifecycleParts parts, lock::PaymentLock& lock, std::chrono::milliseconds lock_ttl)
      : parts_(parts), lock_(lock), lock_ttl_(lock_ttl) {}

  /// @param amount nullopt: everything PortOne can still give back.
  OperationResult<RefundView> refund(const std::string& payment_id,
                                     std::optional<std::int64_t> amount,
                                     const std::string& idempotency_key, const Audit& audit) const;

  /// The key PortOne's cancel carries for the request's key: the same on every
  /// repeat, and within PortOne's limits (16-256 of [A-Za-z0-9_-]).
  static std::string portoneKey(const std::string& idempotency_key);

 private:
  OperationResult<RefundView> refundLocked(const std::string& payment_id,
                                           std::optional<std::int64_t> amount,
                                           const std::string& idempotency_key,
                                           const Audit& audit) const;

  LifecycleParts parts_;
  lock::PaymentLock& lock_;
  std::chrono::milliseconds lock_ttl_;
};

}  // namespace paymentd::lifecycle
