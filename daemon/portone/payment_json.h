// portone/payment_json.h: PortOne's `Payment` JSON -> paymentd::Payment.
//
// Tolerant by PortOne's compatibility policy: unknown fields are ignored and
// unknown enum values become kUnrecognized. Only `id` and `status` are required.
#pragma once

#include <Poco/JSON/Object.h>

#include <string_view>

#include "paymentd/payment.h"

namespace paymentd::portone {

PaymentStatus paymentStatusFromName(std::string_view name);
PaymentMethodType paymentMethodTypeFromName(std::string_view name);

/// @throws TransientError(kBadResponse) when `id` or `status` is missing.
Payment paymentFromJson(const Poco::JSON::Object& object);

}  // namespace paymentd::portone
