// portone/payment_json.h: PortOne's `Payment` JSON -> paymentd::Payment.
//
// Tolerant by PortOne's compatibility policy: unknown fields are ignored and
// unknown enum values become kUnrecognized. Only `id` and `status` are required.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>

#include "paymentd/payment.h"

namespace paymentd::portone {

/// A payment as the host reads it from PortOne: what plugins get (the SDK's
/// Payment, which carries no personal data) plus what only the host keeps.
struct FetchedPayment : Payment {
  /// `customer.phoneNumber`, normalized by normalizedPhone(); stored with the
  /// subscription this payment creates or renews, for AlimTalk and SMS notices.
  std::optional<std::string> customer_phone;
};

/// A Korean mobile or landline number as Solapi takes it: digits only, with
/// "+82 10-1234-5678" becoming "01012345678". nullopt when what is left is not
/// 9 to 11 digits starting with 0 (nothing worth storing).
std::optional<std::string> normalizedPhone(std::string_view text);

PaymentStatus paymentStatusFromName(std::string_view name);
PaymentMethodType paymentMethodTypeFromName(std::string_view name);

/// @throws TransientError(kBadResponse) when `id` or `status` is missing.
FetchedPayment paymentFromJson(const Poco::JSON::Object& object);

}  // namespace paymentd::portone
