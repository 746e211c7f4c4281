// portone/v1_json.h: PortOne V1 (Iamport) answers -> paymentd's values.
//
// Every V1 answer is the envelope {"code": 0, "message": null, "response": ...}; a code
// other than 0 is PortOne's verdict (ApiError), whatever the HTTP status. A V1 payment
// becomes the same view a V2 payment does (core::FetchedPayment): its id is the
// `merchant_uid` (the id paymentd chose, as a V2 paymentId is) and its transaction id
// the `imp_uid` (PortOne's own). Money is read exactly: a fraction or an amount outside
// int64 is an unreadable answer, never rounded.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "core/payment_gateway.h"
#include "portone/api_error.h"

namespace paymentd::portone {

/// ApiError types for V1's verdicts, which name no type of their own.
inline constexpr const char* kV1Unauthorized = "UNAUTHORIZED";          // HTTP 401
inline constexpr const char* kV1PaymentNotFound = "PAYMENT_NOT_FOUND";  // as V2 says it
inline constexpr const char* kV1NotFound = "NOT_FOUND";                 // any other 404
inline constexpr const char* kV1Refused = "V1_REFUSED";  // code != 0: see apiMessage()

/// A non-2xx V1 answer as an ApiError (the transport's ErrorBodyReader for V1).
ApiError v1ErrorFromBody(int status, const std::string& body);

/// The envelope's `response`. @throws ApiError(kV1Refused) when `code` is not 0;
/// TransientError(kBadResponse) when the body is not a V1 envelope.
Poco::Dynamic::Var v1Response(const std::string& body);

/// `response` as an object. @throws TransientError(kBadResponse) when it is not one.
Poco::JSON::Object::Ptr v1Object(const Poco::Dynamic::Var& response);

/// `object[key]` as a whole, non-negative number (won, unix seconds); absent or null is 0.
/// @throws TransientError(kBadResponse) for a fraction, a negative or huge number, a string.
std::int64_t v1Integer(const Poco::JSON::Object& object, const std::string& key);

/// V1's Payment. @throws TransientError(kBadResponse) when imp_uid, merchant_uid or status
/// is missing or an amount or time is not a whole, non-negative number.
core::FetchedPayment v1PaymentFromJson(const Poco::JSON::Object& object);

/// What is left to cancel of a V1 payment (`amount` - `cancel_amount`): the cancel's checksum.
std::int64_t v1CancellableAmount(const core::FetchedPayment& payment);

}  // namespace paymentd::portone
