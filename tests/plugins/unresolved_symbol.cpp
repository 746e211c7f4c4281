// Calls a function no library defines. With lazy binding this would load fine
// and kill the daemon at the first payment; the loader must refuse it at start.
#include "paymentd/plugin.h"

void paymentd_test_function_that_does_not_exist();

namespace {

class BrokenValidator final : public paymentd::Validator {
 public:
  explicit BrokenValidator(const paymentd::PluginConfig&) {}
  paymentd::Outcome validate(const paymentd::PaymentContext&,
                             const paymentd::StoreReader&) const override {
    paymentd_test_function_that_does_not_exist();
    return paymentd::Outcome::ok();
  }
};

}  // namespace

PAYMENTD_PLUGIN(BrokenValidator,
                {.name = "unresolved", .version = "1.0.0", .description = "Broken"})
