// max_amount_validator.cpp: a complete paymentd validator plugin.
//
// Rejects a payment whose verified total is above `max_amount` KRW. Listed in
// paymentd.yaml as:
//
//   plugins:
//     directories: ["/usr/lib/paymentd/plugins"]
//     validators:
//       - {plugin: max-amount, config: {max_amount: "1000000"}}
#include <cstdint>
#include <string>

#include "paymentd/plugin.h"

namespace {

class MaxAmountValidator final : public paymentd::Validator {
 public:
  // Runs once, when paymentd loads the config. Throwing here refuses the
  // config with the message; getInt throws on a value that is not an integer.
  explicit MaxAmountValidator(const paymentd::PluginConfig& config)
      : max_amount_(config.getInt("max_amount", 0)) {
    if (max_amount_ <= 0) throw std::invalid_argument("max_amount must be positive");
  }

  // Called from many request threads at once: reads members, changes nothing.
  paymentd::Outcome validate(const paymentd::PaymentContext& context,
                             const paymentd::StoreReader& /*store*/) const override {
    const std::int64_t total = context.payment.amount.total;
    if (total > max_amount_) {
      return paymentd::Outcome::rejected(
          "AMOUNT_OVER_LIMIT",
          "total " + std::to_string(total) + " is over " + std::to_string(max_amount_));
    }
    return paymentd::Outcome::ok();
  }

 private:
  std::int64_t max_amount_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"max_amount", paymentd::ConfigKey::kRequired, "largest accepted total, in KRW"},
};

}  // namespace

PAYMENTD_PLUGIN(MaxAmountValidator, {.name = "max-amount",
                                     .version = "1.0.0",
                                     .description = "Rejects totals above a configured limit",
                                     .config_keys = kConfigKeys})
