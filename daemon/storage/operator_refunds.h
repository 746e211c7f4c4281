// storage/operator_refunds.h: refunds an operator asked for, and the payments
// they give money back for.
//
// The intent is kept (its own short transaction) before PortOne is asked, with
// the amount and the cancellable balance PortOne showed, so a repeat of the
// request (same Idempotency-Key) asks PortOne the very same thing again and
// PortOne's idempotency turns it into one cancel. Marking it done and adding
// the amount to the payment happen together, once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/connection.h"
#include "storage/database.h"

namespace paymentd::storage {

struct OperatorRefund {
  enum class Status { kIntended = 1, kDone, kFailed };
  std::string idempotency_key;
  std::string payment_id;
  std::int64_t amount = 0;
  std::int64_t cancellable_before = 0;  // PortOne's cancellable balance when it was asked
  Status status = Status::kIntended;
  std::string actor;
  std::string reason;
  std::string detail;  // why it failed, when it did
};

/// A fulfilled payment as a refund sees it.
struct RefundablePayment {
  std::string payment_id;
  std::string user_id;
  std::optional<std::int64_t> subscription_id;
  std::int64_t amount = 0;
  std::int64_t refunded_amount = 0;
};

std::optional<RefundablePayment> findRefundablePayment(Database& database,
                                                       const std::string& payment_id);
std::optional<OperatorRefund> findOperatorRefund(Database& database, const std::string& key);
/// Keeps the intent unless the key has one already. @return the refund kept.
OperatorRefund recordRefundIntent(Database& database, const OperatorRefund& refund);
void markRefundFailed(Database& database, const std::string& key, const std::string& detail);

/// In the caller's transaction: the refund is done, and its amount is added
/// to the payment's refunded amount. @return false when it was done already
/// (then nothing changed).
bool markRefundDone(Connection& connection, const OperatorRefund& refund, Timestamp now);

/// What operators asked PortOne to give back of the payment that is not yet
/// marked done (the answer may have been lost after PortOne cancelled).
std::int64_t refundsInFlight(Connection& connection, const std::string& payment_id);

/// In the caller's transaction: `amount` more was cancelled outside paymentd
/// (PortOne's console), added to the payment's refunded amount (and to the
/// part of it cancelled at PortOne) if the refunded amount is
/// still `refunded_before`. @return false when it was not (then nothing changed).
bool recordCancelledOutside(Connection& connection, const std::string& payment_id,
                            std::int64_t refunded_before, std::int64_t amount);

}  // namespace paymentd::storage
