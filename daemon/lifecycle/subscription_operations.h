// lifecycle/subscription_operations.h: what the business does to a
// subscription besides taking its payments (docs/operators.md): cancel at
// period end or now, resume, change the card, retry a failed renewal now.
//
// Each operation is one database transaction (the subscription's row locked
// for its length) plus outbox items for PortOne; repeating it changes nothing
// more (an operation already in effect answers the subscription as it is);
// each is written with actor and reason into the subscription's audit trail
// and into the trace of every scheduled payment it withdrew or created.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "clock/clock.h"
#include "core/payment_gateway.h"
#include "lifecycle/operation_result.h"
#include "lifecycle/subscription_changes.h"
#include "lifecycle/subscription_view.h"
#include "storage/database.h"

namespace paymentd::lifecycle {

struct LifecycleParts {
  storage::Database& database;
  const Clock& clock;
  const core::PaymentGateway& gateway;
};

enum class CancelAt { kPeriodEnd = 1, kNow };

class SubscriptionOperations {
 public:
  explicit SubscriptionOperations(LifecycleParts parts) : parts_(parts) {}

  OperationResult<SubscriptionView> show(std::int64_t id) const;

  /// At period end: stays live until its period ends (then the period-end job
  /// cancels it); the next charge is withdrawn now. Now: CANCELLED now.
  OperationResult<SubscriptionView> cancel(std::int64_t id, CancelAt at, const Audit& audit) const;
  /// Undoes a cancel at period end before the period ends: the withdrawn
  /// charge is scheduled again, as the next attempt of its cycle.
  OperationResult<SubscriptionView> resume(std::int64_t id, const Audit& audit) const;
  /// Replaces the billing key after PortOne shows the new one issued for the
  /// same customer; the pending charge moves to the new key.
  OperationResult<SubscriptionView> changeCard(std::int64_t id, const std::string& billing_key,
                                               const Audit& audit) const;
  /// Charges a PAST_DUE subscription (or one FAILED within `kRetryWindow`)
  /// now, as the next attempt of its unpaid cycle: the cycle's other attempts
  /// are withdrawn, and the cycle can be paid only once.
  OperationResult<SubscriptionView> retryNow(std::int64_t id, const Audit& audit) const;

  /// The period-end job: subscriptions set to cancel whose period has ended
  /// become CANCELLED. @return how many did.
  std::size_t cancelDue(std::size_t limit) const;

  static constexpr std::chrono::hours kRetryWindow{24 * 30};

 private:
  // Runs `change(transaction, record)` on the locked subscription, commits,
  // and traces the scheduled payments it touched.
  template <typename Change>
  OperationResult<SubscriptionView> change(std::int64_t id, const std::string& action,
                                           const Audit& audit, Change&& change) const;
  void trace(const std::string& action, const Audit& audit, const ScheduleChanges& changes) const;

  LifecycleParts parts_;
};

}  // namespace paymentd::lifecycle
