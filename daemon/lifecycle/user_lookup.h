// lifecycle/user_lookup.h: one user's subscriptions and payments, as the
// support desk looks them up (card shown by its last digits at most).
#pragma once

#include <string>
#include <vector>

#include "lifecycle/operation_result.h"
#include "lifecycle/subscription_view.h"
#include "storage/database.h"
#include "storage/user_payments.h"

namespace paymentd::lifecycle {

struct UserView {
  std::string user_id;
  std::vector<SubscriptionView> subscriptions;  // newest first
  std::vector<storage::UserPayment> payments;   // newest first
};

/// A user with no subscription and no payment is USER_NOT_FOUND.
OperationResult<UserView> lookUpUser(storage::Database& database, const std::string& user_id);

}  // namespace paymentd::lifecycle
