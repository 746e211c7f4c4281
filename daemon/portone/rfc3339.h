// portone/rfc3339.h: PortOne's timestamps (RFC 3339, 0 to 9 fractional digits).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace paymentd::portone {

/// "2024-04-25T10:00:00Z", "2024-04-25T10:00:00.366979621Z", "...+09:00".
/// Fractions beyond microseconds are truncated. nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parseRfc3339(std::string_view text);

/// UTC with milliseconds: "2024-04-25T10:00:00.000Z".
std::string formatRfc3339(std::chrono::system_clock::time_point time);

}  // namespace paymentd::portone
