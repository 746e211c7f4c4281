// duplicate_lesson_validator.cpp: no second live subscription to a plan, and no
// second trial for a user.
#include <algorithm>
#include <string>
#include <vector>

#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class DuplicateLessonValidator final : public paymentd::Validator {
 public:
  explicit DuplicateLessonValidator(const paymentd::PluginConfig& config)
      : new_subscription_types_(
            config.getList("new_subscription_types", {"FIRST_BILLING", "LUMP_SUM"})),
        trial_types_(config.getList("trial_types", {"TRIAL", "TRIAL_FREE"})) {}

  Outcome validate(const paymentd::PaymentContext& context,
                   const paymentd::StoreReader& store) const override {
    if (context.event != paymentd::WebhookEvent::kTransactionPaid) return Outcome::ok();
    const auto& claims = context.claims;
    if (!claims.payment_type || !claims.user_id) {
      return Outcome::rejected("MISSING_CLAIM", "no payment_type or user_id");
    }
    if (contains(trial_types_, *claims.payment_type)) {
      auto had = store.hadTrial(*claims.user_id);
      if (!had) return had.error();
      if (*had) return Outcome::rejected("DUPLICATE_TRIAL", "the user already had a trial");
      return Outcome::ok();
    }
    if (contains(new_subscription_types_, *claims.payment_type)) {
      if (!claims.subscribe_id) return Outcome::rejected("MISSING_CLAIM", "no subscribe_id");
      auto current = store.currentSubscription(*claims.user_id, *claims.subscribe_id);
      if (!current) return current.error();
      if (current->has_value()) {
        return Outcome::rejected("DUPLICATE_SUBSCRIPTION",
                                 "the user already has a live subscription to this plan");
      }
    }
    return Outcome::ok();
  }

 private:
  std::vector<std::string> new_subscription_types_;
  std::vector<std::string> trial_types_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"new_subscription_types", paymentd::ConfigKey::kOptional,
     "payment types that start a subscription (default FIRST_BILLING, LUMP_SUM)"},
    {"trial_types", paymentd::ConfigKey::kOptional,
     "trial payment types (default TRIAL, TRIAL_FREE)"},
};

}  // namespace

PAYMENTD_PLUGIN(DuplicateLessonValidator,
                {.name = "duplicate-lesson",
                 .version = "1.0.0",
                 .description = "No second live subscription to a plan, no second trial",
                 .config_keys = kConfigKeys})
