// recurring/billing_failures.h: a verified Transaction.Failed of a renewal.
//
// Only a payment paymentd scheduled itself (in the schedule ledger:
// storage/schedule_ledger.h) is counted, and only while its cycle is unpaid (an
// attempt paymentd withdrew, or whose cycle another attempt paid, owes nothing).
// In one database transaction: counts the failure once per payment id (a
// billing_failures row; a redelivery finds it and changes nothing), marks the
// subscription PAST_DUE with the new count, and enqueues the tier's notice and
// the next day's retry schedule in the outbox; over the limit the subscription
// becomes FAILED, nothing is scheduled and the admin is told. A hard decline
// (`recurring.hard_decline_codes`) is FAILED at the first failure, and the
// subscriber is also told to register a new card. The worker sends
// the notice and creates the schedule after the commit. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "clock/clock.h"
#include "paymentd/payment.h"
#include "recurring/failure_policy.h"
#include "storage/database.h"

namespace paymentd::recurring {

struct FailureRecord {
  enum class Result {
    kCounted = 1,     // this failure changed the subscription
    kCountedAlready,  // a redelivery: nothing changed
    kIgnored,         // no schedule of paymentd's, or the subscription is not live
  };
  Result result;
  std::string detail;  // for the trace
};

class BillingFailures {
 public:
  BillingFailures(storage::Database& database, const Clock& clock, FailurePolicy policy)
      : database_(database), clock_(clock), policy_(std::move(policy)) {}

  /// Throws storage::Transient when the database is down (the pipeline answers
  /// 503 and PortOne redelivers).
  /// `pg_code`: PortOne's `failure.pgCode` of the declined payment, if any.
  FailureRecord record(const Payment& payment, const std::optional<std::string>& pg_code) const;

  const FailurePolicy& policy() const { return policy_; }

 private:
  storage::Database& database_;
  const Clock& clock_;
  FailurePolicy policy_;
};

}  // namespace paymentd::recurring
