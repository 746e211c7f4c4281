// storage/subscription_status.h: a subscription's status as the database and
// operators spell it (ACTIVE, PAST_DUE, FAILED, CANCELLED).
#pragma once

#include <string>

#include "paymentd/store.h"

namespace paymentd::storage {

const char* subscriptionStatusName(SubscriptionStatus status);
/// Throws storage::Error for a name the schema does not allow.
SubscriptionStatus subscriptionStatusFrom(const std::string& name);

}  // namespace paymentd::storage
