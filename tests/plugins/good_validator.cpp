// A working validator: rejects totals above `limit` with AMOUNT_OVER_LIMIT.
#include "paymentd/plugin.h"

#ifndef GOOD_VALIDATOR_VERSION
#define GOOD_VALIDATOR_VERSION "1.0.0"
#endif

namespace {

class LimitValidator final : public paymentd::Validator {
 public:
  explicit LimitValidator(const paymentd::PluginConfig& config)
      : limit_(config.getInt("limit", 0)), label_(config.getString("label", "limit")) {}

  paymentd::Outcome validate(const paymentd::PaymentContext& context,
                             const paymentd::StoreReader&) const override {
    if (context.payment.amount.total > limit_) {
      return paymentd::Outcome::rejected(
          "AMOUNT_OVER_LIMIT", label_ + ": " + std::to_string(context.payment.amount.total) +
                                   " > " + std::to_string(limit_));
    }
    return paymentd::Outcome::ok();
  }

 private:
  std::int64_t limit_;
  std::string label_;
};

constexpr paymentd::ConfigKey kKeys[] = {
    {"limit", paymentd::ConfigKey::kRequired, "largest accepted total in KRW"},
    {"label", paymentd::ConfigKey::kOptional, "prefix of the rejection message"},
};

}  // namespace

PAYMENTD_PLUGIN(LimitValidator, {.name = "good-validator",
                                 .version = GOOD_VALIDATOR_VERSION,
                                 .description = "Rejects totals above a limit",
                                 .config_keys = kKeys})
