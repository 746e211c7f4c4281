// portone/payment_id.h: which strings can be a PortOne payment id paymentd works with.
//
// The id is the merchant's, and PortOne documents no format for it; but paymentd puts it in
// PortOne's URL path and in Idempotency-Keys ("paymentd-schedule-{id}"), which PortOne takes
// as 16..256 ASCII characters in an RFC 8941 string. An id that cannot be keyed so is one no
// payment of ours can carry: a permanent problem of the request (400), never worth asking
// PortOne about.
#pragma once

#include <cstddef>
#include <string_view>

namespace paymentd::portone {

/// 256 minus the longest key prefix ("paymentd-schedule-").
inline constexpr std::size_t kMaxPaymentIdLength = 238;

/// 1..kMaxPaymentIdLength visible ASCII characters (0x21..0x7e), none of them '/' (it would
/// end the check API's path segment), '"' or '\' (they need escaping in an RFC 8941 string).
bool isPaymentId(std::string_view id);

}  // namespace paymentd::portone
