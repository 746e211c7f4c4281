#include "storage/subscription_status.h"

#include "storage/errors.h"

namespace paymentd::storage {

const char* subscriptionStatusName(SubscriptionStatus status) {
  switch (status) {
    case SubscriptionStatus::kActive:
      return "ACTIVE";
    case SubscriptionStatus::kPastDue:
      return "PAST_DUE";
    case SubscriptionStatus::kFailed:
      return "FAILED";
    case SubscriptionStatus::kCancelled:
      return "CANCELLED";
  }
  return "ACTIVE";
}

SubscriptionStatus subscriptionStatusFrom(const std::string& name) {
  if (name == "PAST_DUE") return SubscriptionStatus::kPastDue;
  if (name == "FAILED") return SubscriptionStatus::kFailed;
  if (name == "CANCELLED") return SubscriptionStatus::kCancelled;
  if (name == "ACTIVE") return SubscriptionStatus::kActive;
  throw Error("unknown subscription status '" + name + "' in the database");
}

}  // namespace paymentd::storage
