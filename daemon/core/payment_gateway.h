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
#include <vector>

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

/// One page of the store's PAID payments (PortOne's GET /payments), by the time
/// their status changed to PAID, oldest first.
struct PaidPaymentsQuery {
  Timestamp from;                // inclusive
  Timestamp until;               // exclusive
  std::int64_t page_number = 0;  // 0-based
  std::int64_t page_size = 100;
};

struct ListedPayment {
  std::string id;
  std::string status;                // as PortOne named it (PAID, ...)
  std::optional<Timestamp> paid_at;  // when PortOne shows one
};

struct PaymentPage {
  LookupStatus status = LookupStatus::kUnavailable;  // kFound, kUnavailable, kRefused
  std::vector<ListedPayment> items;                  // when kFound
  std::int64_t total_count = 0;                      // every match of the query, all pages
  std::string error_type;                            // PortOne's error type when it refused
  std::string detail;                                // one line for the log; never secrets
};

/// How PortOne took a request to deliver a payment's webhook again.
enum class ResendStatus {
  kResent = 1,    // PortOne queued the delivery
  kLimitReached,  // PortOne will not resend this payment's webhook any more
  kRefused,       // another refusal (no such payment, no webhook, not supported, ...)
  kUnavailable,   // PortOne could not be reached: try again later
};

struct ResendAnswer {
  ResendStatus status = ResendStatus::kUnavailable;
  std::string error_type;  // PortOne's error type when it refused
  std::string detail;      // one line for the log and the report; never secrets
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
  /// One page of the store's payments PortOne shows PAID, paid in the query's range.
  virtual PaymentPage listPaidPayments(const PaidPaymentsQuery& query) const = 0;
  /// Asks PortOne to deliver the payment's latest webhook again, to its original URL.
  virtual ResendAnswer resendWebhook(const std::string& payment_id) const = 0;
};

}  // namespace paymentd::core
