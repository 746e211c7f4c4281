// paymentd/context.h: everything one validator or processor call is about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "paymentd/payment.h"

namespace paymentd {

/// Which verified webhook started this run.
enum class WebhookEvent { kTransactionPaid = 1, kTransactionFailed };

/// The webhook URL's query parameters. They come from the browser, so they are
/// claims to check, never facts: a validator compares them with the Payment.
struct Claims {
  std::optional<std::string> user_id;
  std::optional<std::string> subscribe_id;  // the plan id
  std::optional<std::string> payment_type;  // FIRST_BILLING, BILLING, ...
  std::optional<std::string> coupon_id;
};

struct PaymentContext {
  const Payment& payment;
  const Claims& claims;
  WebhookEvent event;
  Timestamp now;  // from the host's clock: use it, never system_clock::now()
  /// Set when paymentd itself scheduled this payment: its id parses with
  /// parseScheduledPaymentId() (paymentd/outbox.h) and the host holds the
  /// schedule it asked PortOne for. The value is the amount, in KRW, that
  /// schedule asked PortOne to charge: the price fixed when the renewal was
  /// scheduled, whatever the plan costs now. nullopt for every other payment,
  /// including one whose id looks scheduled but which paymentd never
  /// scheduled: nothing vouches for that one. (API 1.1)
  std::optional<std::int64_t> scheduled_amount = std::nullopt;
};

}  // namespace paymentd
