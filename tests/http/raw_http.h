// http/raw_http.h: bytes over a real socket, for requests no well-behaved client would send.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace paymentd::http::testing {

/// Sends `request` as is and returns everything the server writes until it closes the
/// connection or stays silent for `quiet_ms`.
std::string rawExchange(std::uint16_t port, const std::string& request, int quiet_ms = 1000);

/// The status codes of the responses in `raw`, in order (one per `HTTP/1.x NNN` status line).
std::vector<int> statuses(const std::string& raw);

}  // namespace paymentd::http::testing
