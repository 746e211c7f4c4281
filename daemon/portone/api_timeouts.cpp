#include "portone/api_timeouts.h"

#include <chrono>

namespace paymentd::portone {

ApiTimeouts timeoutsOf(const config::PortOneConfig& config) {
  return ApiTimeouts{std::chrono::milliseconds(config.connect_timeout_ms),
                     std::chrono::milliseconds(config.read_timeout_ms),
                     std::chrono::milliseconds(config.request_deadline_ms)};
}

void useTimeouts(ApiTransportOptions& transport, const config::PortOneConfig& config) {
  const ApiTimeouts timeouts = timeoutsOf(config);
  transport.connect_timeout = timeouts.connect_timeout;
  transport.read_timeout = timeouts.read_timeout;
  transport.request_deadline = timeouts.request_deadline;
}

}  // namespace paymentd::portone
