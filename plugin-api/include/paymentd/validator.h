// paymentd/validator.h: decides whether one verified payment may be fulfilled.
//
// Validators run in the order the YAML lists them, inside the payment's
// transaction, before the processor. Called from many request threads at once:
// implementations keep no mutable state (or guard it themselves).
#pragma once

#include "paymentd/context.h"
#include "paymentd/outcome.h"
#include "paymentd/plugin_base.h"
#include "paymentd/store.h"

namespace paymentd {

class Validator : public PluginInstance {
 public:
  /// Reads through `store`, never writes.
  /// @return Outcome::ok() to continue; Outcome::rejected(code, message) to stop
  ///         and refund; Outcome::transient(...) for an outage (503, no refund).
  virtual Outcome validate(const PaymentContext& context, const StoreReader& store) const = 0;
};

}  // namespace paymentd
