// paymentd/processor.h: turns one validated payment of a payment type into
// subscriptions, tickets, lessons and outbox items.
//
// The YAML maps each payment type (FIRST_BILLING, BILLING, ...) to one processor.
// process() runs inside the payment's transaction after every validator passed;
// whatever it writes commits only if it returns ok. It must not call anything
// outside the store: work after the commit goes through StoreWriter::enqueueOutbox.
// Called from many request threads at once.
#pragma once

#include "paymentd/context.h"
#include "paymentd/outcome.h"
#include "paymentd/plugin_base.h"
#include "paymentd/store.h"

namespace paymentd {

class Processor : public PluginInstance {
 public:
  /// @return ok to commit; rejected to roll back and refund; transient to roll
  ///         back and answer 503.
  virtual Outcome process(const PaymentContext& context, StoreWriter& store) const = 0;
};

}  // namespace paymentd
