// payment_status_validator.cpp: PortOne's status must agree with the webhook,
// the customer PortOne recorded must be the claimed user, and a renewal needs a
// live subscription.
#include <algorithm>
#include <string>
#include <vector>

#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;
using paymentd::PaymentStatus;

class PaymentStatusValidator final : public paymentd::Validator {
 public:
  explicit PaymentStatusValidator(const paymentd::PluginConfig& config)
      : renewal_types_(config.getList("renewal_types", {"BILLING"})) {}

  Outcome validate(const paymentd::PaymentContext& context,
                   const paymentd::StoreReader& store) const override {
    const paymentd::Payment& payment = context.payment;
    const PaymentStatus status = payment.status;
    if (status == PaymentStatus::kCancelled || status == PaymentStatus::kPartialCancelled) {
      return Outcome::rejected("CANCELLED_PAYMENT", "PortOne shows the payment as cancelled");
    }
    if (context.event == paymentd::WebhookEvent::kTransactionPaid &&
        status != PaymentStatus::kPaid) {
      return Outcome::rejected("PAYMENT_NOT_PAID", "PortOne does not show the payment as paid yet");
    }
    if (context.event == paymentd::WebhookEvent::kTransactionFailed &&
        status != PaymentStatus::kFailed) {
      return Outcome::rejected("PAYMENT_STATUS_MISMATCH",
                               "a failure webhook for a payment PortOne does not show as failed");
    }
    const auto& user = context.claims.user_id;
    if (!user) return Outcome::rejected("MISSING_CLAIM", "no user_id");
    if (payment.customer_id && !payment.customer_id->empty() && *payment.customer_id != *user) {
      return Outcome::rejected("CUSTOMER_MISMATCH", "PortOne's customer is not the claimed user");
    }
    const auto& type = context.claims.payment_type;
    if (type &&
        std::find(renewal_types_.begin(), renewal_types_.end(), *type) != renewal_types_.end()) {
      if (!context.claims.subscribe_id)
        return Outcome::rejected("MISSING_CLAIM", "no subscribe_id");
      auto current = store.currentSubscription(*user, *context.claims.subscribe_id);
      if (!current) return current.error();
      if (!current->has_value()) {
        return Outcome::rejected("SUBSCRIPTION_NOT_ACTIVE",
                                 "no active or past-due subscription to renew");
      }
    }
    return Outcome::ok();
  }

 private:
  std::vector<std::string> renewal_types_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"renewal_types", paymentd::ConfigKey::kOptional,
     "payment types that renew a live subscription (default BILLING)"},
};

}  // namespace

PAYMENTD_PLUGIN(
    PaymentStatusValidator,
    {.name = "payment-status",
     .version = "1.0.0",
     .description = "PortOne status, customer and subscription state agree with the claim",
     .config_keys = kConfigKeys})
