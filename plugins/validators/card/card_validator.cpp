// card_validator.cpp: payment types that need a card get a card (an easy-pay
// payment funded by a card counts), and billing types carry a billing key.
#include <algorithm>
#include <string>
#include <vector>

#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class CardValidator final : public paymentd::Validator {
 public:
  explicit CardValidator(const paymentd::PluginConfig& config)
      : card_types_(config.getList("card_types", {"FIRST_BILLING", "BILLING", "LUMP_SUM"})),
        billing_key_types_(config.getList("billing_key_types", {"FIRST_BILLING", "BILLING"})) {}

  Outcome validate(const paymentd::PaymentContext& context,
                   const paymentd::StoreReader&) const override {
    if (context.event != paymentd::WebhookEvent::kTransactionPaid) return Outcome::ok();
    if (!context.claims.payment_type) return Outcome::rejected("MISSING_CLAIM", "no payment_type");
    const std::string& type = *context.claims.payment_type;
    const paymentd::Payment& payment = context.payment;
    const bool by_card =
        payment.method == paymentd::PaymentMethodType::kCard || payment.card.has_value();
    if (contains(card_types_, type) && !by_card) {
      return Outcome::rejected("NOT_A_CARD_PAYMENT", type + " needs a card payment");
    }
    if (contains(billing_key_types_, type) &&
        (!payment.billing_key || payment.billing_key->empty())) {
      return Outcome::rejected("MISSING_BILLING_KEY", type + " needs a billing key payment");
    }
    return Outcome::ok();
  }

 private:
  std::vector<std::string> card_types_;
  std::vector<std::string> billing_key_types_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"card_types", paymentd::ConfigKey::kOptional,
     "payment types that must be paid by card (default FIRST_BILLING, BILLING, LUMP_SUM)"},
    {"billing_key_types", paymentd::ConfigKey::kOptional,
     "payment types that must carry a billing key (default FIRST_BILLING, BILLING)"},
};

}  // namespace

PAYMENTD_PLUGIN(CardValidator,
                {.name = "card",
                 .version = "1.0.0",
                 .description = "Card payments and billing keys where a type needs them",
                 .config_keys = kConfigKeys})
