// A working processor with no config keys; it writes nothing.
#include "paymentd/plugin.h"

namespace {

class NothingProcessor final : public paymentd::Processor {
 public:
  explicit NothingProcessor(const paymentd::PluginConfig&) {}
  paymentd::Outcome process(const paymentd::PaymentContext&,
                            paymentd::StoreWriter&) const override {
    return paymentd::Outcome::ok();
  }
};

}  // namespace

PAYMENTD_PLUGIN(NothingProcessor, {.name = "good-processor",
                                   .version = "1.0.0",
                                   .description = "Accepts every payment and writes nothing"})
