// clock/manual_clock.h: a clock that moves only when told to (tests, simulations).
#pragma once

#include <mutex>

#include "clock/clock.h"

namespace paymentd {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}

  TimePoint now() const override;
  /// Does not block: waiting on a manual clock means time passes at once, so
  /// code that backs off between retries runs instantly under test.
  void sleepFor(std::chrono::milliseconds duration) const override;

  void advance(std::chrono::milliseconds duration);
  void set(TimePoint time);

 private:
  mutable std::mutex mutex_;
  mutable TimePoint now_;
};

}  // namespace paymentd
