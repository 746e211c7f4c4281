// Built twice (duplicate_a.so, duplicate_b.so): two libraries, one name and version.
#include "paymentd/plugin.h"

namespace {

class DuplicateValidator final : public paymentd::Validator {
 public:
  explicit DuplicateValidator(const paymentd::PluginConfig&) {}
  paymentd::Outcome validate(const paymentd::PaymentContext&,
                             const paymentd::StoreReader&) const override {
    return paymentd::Outcome::ok();
  }
};

}  // namespace

PAYMENTD_PLUGIN(DuplicateValidator, {.name = "dup", .version = "1.0.0", .description = "Twice"})
