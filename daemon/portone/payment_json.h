// portone/payment_json.h: PortOne's `Payment` JSON -> paymentd::Payment.
//
// Tolerant by PortOne's compatibility policy: unknown fields are ignored and
// unknown enum values become kUnrecognized. Only `id` and `status` are required.
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

/// @throws TransientError(kBadResponse) when `id` or `status` is missing.
FetchedPayment paymentFromJson(const Poco::JSON::Object& object);

}  // namespace paymentd::portone
