// portone/payment_json.h: PortOne's `Payment` and `BillingKeyInfo` JSON ->
// paymentd's values.
//
// Tolerant by PortOne's compatibility policy: unknown fields are ignored and
// unknown enum values become kUnrecognized. Only the id (`id`, `billingKey`)
// and `status` are required.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/payment_gateway.h"
#include "paymentd/payment.h"

namespace paymentd::portone {

/// The core's view of a payment read from PortOne; `customer_phone` is
/// normalized by normalizedPhone().
using FetchedPayment = core::FetchedPayment;

/// A Korean mobile or landline number as Solapi takes it: digits only, with
/// "+82 10-1234-5678" becoming "01012345678". nullopt when what is left is not
/// 9 to 11 digits starting with 0 (nothing worth storing).
std::optional<std::string> normalizedPhone(std::string_view text);

PaymentStatus paymentStatusFromName(std::string_view name);
PaymentMethodType paymentMethodTypeFromName(std::string_view name);

/// `object[key]` as an amount in won: absent or null is 0.
/// @throws TransientError(kBadResponse) when it is not a whole, non-negative number of won.
std::int64_t amountInWon(const Poco::JSON::Object& object, const std::string& key);

/// @throws TransientError(kBadResponse) when `id` or `status` is missing or
/// an amount is not a whole, non-negative number of won.
FetchedPayment paymentFromJson(const Poco::JSON::Object& object);

/// PortOne's `BillingKeyInfo.status`.
enum class BillingKeyStatus { kIssued = 1, kDeleted, kUnrecognized };

/// A billing key as GET /billing-keys/{billingKey} shows it.
struct BillingKeyInfo {
  std::string billing_key;
  BillingKeyStatus status = BillingKeyStatus::kUnrecognized;
  std::optional<std::string> customer_id;  // customer.id
  /// The first card's `card.number`, masked by PortOne ("123456******5678"); a
  /// card behind an easy pay counts.
  std::optional<std::string> masked_card_number;
  std::optional<Timestamp> issued_at;
  std::optional<Timestamp> deleted_at;  // DELETED only
};

BillingKeyStatus billingKeyStatusFromName(std::string_view name);

/// The last 4 characters of a masked card number when all are digits
/// ("123456******5678" -> "5678"); nullopt when PortOne masked them too.
std::optional<std::string> cardLastDigits(std::string_view masked_number);

/// @throws TransientError(kBadResponse) when `billingKey` or `status` is missing.
BillingKeyInfo billingKeyFromJson(const Poco::JSON::Object& object);

}  // namespace paymentd::portone
