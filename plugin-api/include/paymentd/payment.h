// paymentd/payment.h: what plugins see of one payment.
//
// Every field comes from PortOne's API (GET /payments/{paymentId}), fetched by the
// host after the webhook's signature was verified; nothing here is from the
// webhook body or the client. Personal data and card numbers are left out on
// purpose: plugins cannot log what they never get.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace paymentd {

using Timestamp = std::chrono::system_clock::time_point;

/// PortOne's `Payment.status`. kUnrecognized stands for a status added by PortOne
/// after this API version (PortOne's compatibility policy allows new values).
enum class PaymentStatus {
  kReady = 1,
  kPayPending,
  kVirtualAccountIssued,
  kPaid,
  kFailed,
  kPartialCancelled,
  kCancelled,
  kUnrecognized,
};

/// PortOne's `PaymentMethod.type`, without the `PaymentMethod` prefix.
enum class PaymentMethodType {
  kCard = 1,
  kTransfer,
  kVirtualAccount,
  kEasyPay,
  kMobile,
  kGiftCertificate,
  kConvenienceStore,
  kCrypto,
  kUnrecognized,
};

/// Non-identifying facts about the card (an easy-pay card counts as a card).
struct CardFacts {
  std::string brand;  // LOCAL, VISA, MASTER, ... or empty when PortOne omits it
  std::string type;   // CREDIT, DEBIT, GIFT, or empty
};

struct PaymentAmount {
  std::int64_t total = 0;  // KRW has no minor unit: whole won
  std::int64_t paid = 0;
  std::int64_t cancelled = 0;
  std::int64_t discount = 0;
};

struct Payment {
  std::string id;              // merchant-chosen paymentId, unique per store
  std::string transaction_id;  // PortOne's attempt id
  std::string store_id;
  PaymentStatus status = PaymentStatus::kUnrecognized;
  PaymentAmount amount;
  std::string currency;                     // ISO 4217, e.g. "KRW"
  std::optional<PaymentMethodType> method;  // absent before a method was chosen
  std::optional<CardFacts> card;            // set when the money came from a card
  std::optional<std::string> billing_key;   // set for billing-key payments
  std::optional<std::string> schedule_id;   // set when PortOne ran a payment schedule
  std::optional<std::string> customer_id;   // PortOne's `customer.id`, as the client set it
  bool live = false;                        // channel.type == LIVE
  std::string order_name;
  std::optional<Timestamp> paid_at;
  std::optional<std::string> failure_reason;  // FAILED payments only
};

}  // namespace paymentd
