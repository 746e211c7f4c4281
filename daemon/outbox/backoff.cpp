#include "outbox/backoff.h"

#include <algorithm>

namespace paymentd::outbox {

std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, std::int64_t attempt,
                                       double unit_random) {
  const std::int64_t exponent = std::clamp<std::int64_t>(attempt - 1, 0, 40);
  const double ceiling = std::min(
      static_cast<double>(policy.max.count()),
      static_cast<double>(policy.base.count()) * static_cast<double>(std::int64_t{1} << exponent));
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(ceiling / 2 + ceiling / 2 * jitter));
}

}  // namespace paymentd::outbox
