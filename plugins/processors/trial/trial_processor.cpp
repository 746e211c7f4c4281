// trial_processor.cpp: TRIAL and TRIAL_FREE create the user's one trial
// subscription (the store refuses a second: DUPLICATE) and reserve the trial
// lesson. Nothing is scheduled. A free trial reaches paymentd only as a
// PortOne payment whose total is 0 (see docs/plugins.md, "Free trials").
#include <chrono>
#include <stdexcept>
#include <string>

#include "paymentd/calendar.h"
#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;

class TrialProcessor final : public paymentd::Processor {
 public:
  explicit TrialProcessor(const paymentd::PluginConfig& config)
      : trial_days_(config.getInt("trial_days", 7)),
        free_type_(config.getString("free_payment_type", "TRIAL_FREE")) {
    if (trial_days_ < 1 || trial_days_ > 366) {
      throw std::invalid_argument("config key 'trial_days' must be 1-366");
    }
  }

  Outcome process(const paymentd::PaymentContext& context,
                  paymentd::StoreWriter& store) const override {
    const auto& claims = context.claims;
    const paymentd::Payment& payment = context.payment;
    if (!claims.user_id || !claims.subscribe_id || !claims.payment_type) {
      return Outcome::rejected("MISSING_CLAIM", "no user_id, subscribe_id or payment_type");
    }
    auto plan = store.plan(*claims.subscribe_id);
    if (!plan) return plan.error();
    if (!plan->has_value())
      return Outcome::rejected("UNKNOWN_PLAN", "no plan " + *claims.subscribe_id);
    if (!(*plan)->trial) {
      return Outcome::rejected("PLAN_NOT_TRIAL", "plan " + (*plan)->id + " is not a trial");
    }
    // The amount validator checks the price; this guards the free type on its own.
    if (*claims.payment_type == free_type_ && payment.amount.paid != 0) {
      return Outcome::rejected("FREE_TRIAL_CHARGED", "a free trial was charged");
    }

    const paymentd::Timestamp start = payment.paid_at.value_or(context.now);
    paymentd::NewSubscription subscription;
    subscription.user_id = *claims.user_id;
    subscription.plan_id = (*plan)->id;
    subscription.trial = true;
    subscription.period_start = start;
    subscription.period_end = start + std::chrono::days(trial_days_);
    auto subscription_id = store.createSubscription(subscription);
    if (!subscription_id) return subscription_id.error();

    // Unscheduled: the teacher's calendar picks the time; the reservation holds the seat.
    auto lesson = store.reserveLesson(
        paymentd::NewLesson{*subscription_id, *claims.user_id, "TRIAL", std::nullopt});
    if (!lesson) return lesson.error();
    return Outcome::ok();
  }

 private:
  std::int64_t trial_days_;
  std::string free_type_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"trial_days", paymentd::ConfigKey::kOptional, "length of the trial subscription (default 7)"},
    {"free_payment_type", paymentd::ConfigKey::kOptional,
     "the payment type of a free trial, whose paid amount must be 0 (default TRIAL_FREE)"},
};

}  // namespace

PAYMENTD_PLUGIN(TrialProcessor,
                {.name = "trial",
                 .version = "1.0.0",
                 .description = "Creates the user's one trial subscription; reserves the lesson",
                 .config_keys = kConfigKeys})
