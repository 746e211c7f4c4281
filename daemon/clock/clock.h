// clock/clock.h: the one source of time for code that must be testable.
//
// Code that reads the time or waits takes a `const Clock&` instead of calling
// std::chrono or sleeping itself, so tests can move time (see ManualClock).
// Implementations are safe to call from many threads at once.
#pragma once

#include <chrono>

namespace paymentd {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  /// Wall-clock time (signature timestamps, schedules, deadlines).
  virtual TimePoint now() const = 0;
  /// Waits `duration` of this clock's time; a manual clock advances instead.
  virtual void sleepFor(std::chrono::milliseconds duration) const = 0;
};

/// The real time.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  void sleepFor(std::chrono::milliseconds duration) const override;

  /// A shared instance; SystemClock has no state.
  static const SystemClock& instance();
};

}  // namespace paymentd
