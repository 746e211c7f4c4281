// A plugin whose descriptor claims another plugin API version (TEST_API_MAJOR/MINOR),
// written by hand because PAYMENTD_PLUGIN always stamps the current one.
#include "paymentd/plugin.h"

namespace {

class FutureValidator final : public paymentd::Validator {
 public:
  explicit FutureValidator(const paymentd::PluginConfig&) {}
  paymentd::Outcome validate(const paymentd::PaymentContext&,
                             const paymentd::StoreReader&) const override {
    return paymentd::Outcome::ok();
  }
};

}  // namespace

extern "C" PAYMENTD_EXPORT const paymentd::PluginDescriptor* paymentd_plugin_descriptor() {
  static paymentd::PluginDescriptor descriptor =
      paymentd::internal::makeDescriptor<FutureValidator>(
          {.name = "future-validator", .version = "1.0.0", .description = "Built for another API"});
  descriptor.api_major = TEST_API_MAJOR;
  descriptor.api_minor = TEST_API_MINOR;
  return &descriptor;
}
