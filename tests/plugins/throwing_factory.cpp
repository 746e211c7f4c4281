// A plugin whose constructor throws: the loader must refuse it with the message.
#include <stdexcept>

#include "paymentd/plugin.h"

namespace {

class ThrowingValidator final : public paymentd::Validator {
 public:
  explicit ThrowingValidator(const paymentd::PluginConfig&) {
    throw std::runtime_error("cannot reach the fraud service");
  }
  paymentd::Outcome validate(const paymentd::PaymentContext&,
                             const paymentd::StoreReader&) const override {
    return paymentd::Outcome::ok();
  }
};

}  // namespace

PAYMENTD_PLUGIN(ThrowingValidator, {.name = "throwing-validator",
                                    .version = "1.0.0",
                                    .description = "Throws from its constructor"})
