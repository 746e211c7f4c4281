// storage/user_payments.h: a user's payments with their outcomes, newest
// first, for the operator's look-up: what paymentd fulfilled (and how much an
// operator gave back) and the renewals PortOne could not charge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/payment.h"
#include "storage/connection.h"

namespace paymentd::storage {

struct UserPayment {
  std::string payment_id;
  std::string status;  // completed or failed, as the check API says it
  std::optional<std::string> payment_type;
  std::int64_t amount = 0;
  /// The failure code, or REFUNDED_BY_OPERATOR, or CANCELLED_AT_PORTONE when
  /// all that was given back was cancelled in PortOne's console.
  std::optional<std::string> reason;
  bool refunded = false;
  std::int64_t refunded_amount = 0;       // by operators and at PortOne
  std::int64_t cancelled_at_portone = 0;  // the part of it cancelled outside paymentd
  Timestamp at;
};

/// At most `limit` of each kind.
std::vector<UserPayment> paymentsOfUser(Connection& connection, const std::string& user_id,
                                        std::size_t limit);

}  // namespace paymentd::storage
