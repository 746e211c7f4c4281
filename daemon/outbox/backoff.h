// outbox/backoff.h: when a failed outbox attempt is tried again.
#pragma once

#include <chrono>
#include <cstdint>

namespace paymentd::outbox {

struct BackoffPolicy {
  std::chrono::milliseconds base{2000};
  std::chrono::milliseconds max{3'600'000};
};

/// Exponential backoff with "equal jitter": after attempt n (1-based) waits
/// between half and all of min(max, base * 2^(n-1)), so retries of many items
/// that failed together spread out. `unit_random` is in [0, 1).
std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, std::int64_t attempt,
                                       double unit_random);

}  // namespace paymentd::outbox
