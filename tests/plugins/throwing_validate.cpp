// A validator written without the SDK's care: it throws from validate().
#include <stdexcept>

#include "paymentd/plugin.h"

namespace {

class ThrowingCallValidator final : public paymentd::Validator {
 public:
  explicit ThrowingCallValidator(const paymentd::PluginConfig&) {}
  paymentd::Outcome validate(const paymentd::PaymentContext&,
                             const paymentd::StoreReader&) const override {
    throw std::out_of_range("index 7 past the end");
  }
};

}  // namespace

PAYMENTD_PLUGIN(ThrowingCallValidator,
                {.name = "throwing-call", .version = "1.0.0", .description = "Throws when called"})
