// duplicate_request_validator.cpp: a payment already fulfilled stops the chain
// with ALREADY_FULFILLED. The host answers 200 and changes nothing: it checks
// fulfilment in the database itself before any refund, so this is never refunded.
#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;

class DuplicateRequestValidator final : public paymentd::Validator {
 public:
  explicit DuplicateRequestValidator(const paymentd::PluginConfig&) {}

  Outcome validate(const paymentd::PaymentContext& context,
                   const paymentd::StoreReader& store) const override {
    auto fulfilled = store.isFulfilled(context.payment.id);
    if (!fulfilled) return fulfilled.error();
    if (*fulfilled) {
      return Outcome::rejected("ALREADY_FULFILLED",
                               "payment " + context.payment.id + " was fulfilled already");
    }
    return Outcome::ok();
  }
};

}  // namespace

PAYMENTD_PLUGIN(DuplicateRequestValidator,
                {.name = "duplicate-request",
                 .version = "1.0.0",
                 .description = "Stops a payment that was already fulfilled (never refunded)"})
