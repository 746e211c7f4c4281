#include "clock/manual_clock.h"

namespace paymentd {

Clock::TimePoint ManualClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualClock::sleepFor(std::chrono::milliseconds duration) const {
  std::lock_guard lock(mutex_);
  if (duration.count() > 0) now_ += duration;
}

void ManualClock::advance(std::chrono::milliseconds duration) {
  std::lock_guard lock(mutex_);
  now_ += duration;
}

void ManualClock::set(TimePoint time) {
  std::lock_guard lock(mutex_);
  now_ = time;
}

}  // namespace paymentd
