#include "clock/clock.h"

#include <thread>

namespace paymentd {

Clock::TimePoint SystemClock::now() const {
  return std::chrono::system_clock::now();
}

void SystemClock::sleepFor(std::chrono::milliseconds duration) const {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace paymentd
