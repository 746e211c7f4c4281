// lifecycle/operator_service.h: the operator API's one entry (docs/operators.md),
// shared by the admin listener (api/admin_routes.h) and the command line
// (cli/operator_command.h): a call in, an answer out (HTTP status and JSON).
//
// Writes need a reason, an actor and an Idempotency-Key. The answer to a
// write is kept under its key: the same call again gets the first answer
// byte for byte; another call under the same key is refused 422. Answers that
// say "try again" (503) are not kept. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "lifecycle/payment_refunds.h"
#include "lifecycle/subscription_operations.h"
#include "lock/payment_lock.h"

namespace paymentd::lifecycle {

enum class Operation {
  kShowUser = 1,
  kShowPayment,
  kShowSubscription,
  kCancel,
  kResume,
  kChangeCard,
  kRetry,
  kRefund,
};

struct OperatorCall {
  Operation operation = Operation::kShowUser;
  std::string target;                      // the user, payment or subscription id
  std::optional<std::string> at;           // cancel: "period_end" or "now"
  std::optional<std::string> billing_key;  // change card
  std::optional<std::int64_t> amount;      // refund; nullopt: all that is left
  std::string reason;
  std::string actor;
  std::string idempotency_key;  // writes only
};

struct OperatorReply {
  int status = 200;
  std::string body;  // JSON
};

bool isWrite(Operation operation);

class OperatorService {
 public:
  OperatorService(LifecycleParts parts, lock::PaymentLock& lock,
                  std::chrono::milliseconds lock_ttl);

  OperatorReply handle(const OperatorCall& call) const;

  /// For the period-end job.
  const SubscriptionOperations& subscriptions() const { return subscriptions_; }

 private:
  OperatorReply read(const OperatorCall& call) const;
  OperatorReply write(const OperatorCall& call) const;

  LifecycleParts parts_;
  SubscriptionOperations subscriptions_;
  PaymentRefunds refunds_;
};

/// Reads an admin API write's JSON body (`reason`, `at`, `billingKey`,
/// `amount`) into `call`. @return the 400 answer for a body that is not
/// a JSON object or has a field of the wrong type; nullopt when it was read.
std::optional<OperatorReply> readOperatorBody(const std::string& body, OperatorCall& call);

}  // namespace paymentd::lifecycle
