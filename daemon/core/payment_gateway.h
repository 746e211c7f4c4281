// core/payment_gateway.h: the port through which the payment core asks PortOne.
//
// Answers are values: a PortOne outage or refusal is a status, never an
// exception, so the core decides on it like on any other fact. The V2 API
// client is one adapter (portone/v2_gateway.h); a second PortOne API is
// another adapter, not a branch in the core. Implementations are called from
// many request threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/payment_decision.h"
#include "paymentd/payment.h"

namespace paymentd::core {

/// A payment as the host reads it from PortOne: what plugins get (the SDK's
/// Payment, which carries no personal data) plus what only the host keeps.
struct FetchedPayment : Payment {
  /// `customer.phoneNumber`, digits only; stored with the subscription this
  /// payment creates or renews, for AlimTalk and SMS notices.
  std::optional<std::string> customer_phone;
  /// `failure.pgCode` of a FAILED payment: the PG's own decline code, which
  /// tells a decline retrying can fix from one it cannot.
  std::optional<std::string> failure_pg_code;
};

struct PaymentLookup {
  LookupStatus status = LookupStatus::kUnavailable;
  FetchedPayment payment;  // when kFound
  std::string error_type;  // PortOne's error type when it refused (PAYMENT_NOT_FOUND, ...)
  std::string detail;      // one line for the trace; never secrets
};

struct RefundRequest {
  std::string payment_id;
  std::string reason;
  /// PortOne cancels only if its cancellable balance still equals this, so a
  /// stale view can never refund more than is left.
  std::int64_t current_cancellable_amount = 0;
  std::string idempotency_key;  // the same on every retry of this refund
  /// PortOne's cancel `amount`. The initializer keeps four-field aggregate
  /// initialization free of missing-field warnings.
  std::optional<std::int64_t> amount = std::nullopt;  // nullopt: everything cancellable
};

struct RefundAnswer {
  bool refunded = false;   // the money is back (now, or by an earlier cancel)
  std::string error_type;  // PortOne's error type when it refused; empty otherwise
  bool transient = false;  // PortOne could not be reached or answered garbage
  std::string detail;      // why not, when not
};

/// A billing key as PortOne shows it (GET /billing-keys/{billingKey}).
struct BillingKeyLookup {
  LookupStatus status = LookupStatus::kUnavailable;  // kFound, kNotFound, kUnavailable, kRefused
  bool issued = false;                               // status ISSUED (false: DELETED)
  std::optional<std::string> customer_id;            // customer.id
  /// The last 4 digits of the masked card number, when PortOne shows one.
  std::optional<std::string> card_last_digits;
  std::string error_type;  // PortOne's error type when it refused
  std::string detail;      // one line for the trace; never secrets, never the full card number
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  /// The payment as PortOne shows it now.
  virtual PaymentLookup lookUp(const std::string& payment_id) const = 0;
  /// Cancels `request.amount`, or what is left of the payment when nullopt.
  virtual RefundAnswer refund(const RefundRequest& request) const = 0;
  /// The billing key as PortOne shows it now.
  virtual BillingKeyLookup lookUpBillingKey(const std::string& billing_key) const = 0;
};

}  // namespace paymentd::core
