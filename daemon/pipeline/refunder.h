// pipeline/refunder.h: gives a paid payment's money back when it will never be
// fulfilled.
//
// The order is what makes it safe: the intent is committed first (its own
// transaction, surviving everything), then PortOne is asked with an
// idempotency key derived from the payment, then the result is recorded and an
// admin notice goes to the outbox. A redelivered webhook finds the recorded
// refund and never cancels twice; a refund that failed stays REFUND_FAILED for
// the next delivery (or an operator) to finish with the same key.
#pragma once

#include <string>

#include "core/payment_gateway.h"
#include "metrics/metrics.h"
#include "paymentd/context.h"
#include "pipeline/payment_trace.h"
#include "storage/database.h"
#include "storage/event_outbox.h"
#include "storage/payment_log.h"

namespace paymentd::pipeline {

struct RefundResult {
  bool refunded = false;  // PortOne cancelled it (now or before)
  std::string detail;     // why not, when not
};

/// The payment.refunded event of paymentd's own refund of `payment`
/// (storage/event_outbox.h): `amount` given back.
storage::RefundedPayment refundedEvent(const Payment& payment, const Claims& claims,
                                       std::int64_t amount);

class Refunder {
 public:
  Refunder(const core::PaymentGateway& gateway, storage::Database& database,
           metrics::Metrics& metrics, std::string admin_channel);

  /// @throws storage::Transient when the intent cannot be recorded (then
  /// nothing was asked of PortOne, and the caller answers 503).
  RefundResult refund(const Payment& payment, const Claims& claims, const std::string& code,
                      const std::string& message, PaymentTrace& trace) const;

  /// The key every cancel of this payment carries, so PortOne replays a retry.
  static std::string idempotencyKey(const std::string& payment_id);

  /// The admin channel's notice of a refund's outcome (PAYMENT_REFUNDED or
  /// REFUND_FAILED), once per payment and outcome. Part of every refund's
  /// outcome, whoever finishes it: refund() sends it, and so does whatever
  /// finds PortOne already cancelled an unfinished refund.
  void notifyAdmin(const Payment& payment, const Claims& claims, const std::string& code,
                   const RefundResult& result, PaymentTrace& trace) const;

 private:
  const core::PaymentGateway& gateway_;
  storage::Database& database_;
  metrics::Metrics& metrics_;
  std::string admin_channel_;
};

}  // namespace paymentd::pipeline
