// clock/periodic_loop.h: runs one pass of background work on its own thread,
// again and again, waiting `interval` between passes unless a pass asks to go
// on at once. stop() wakes the wait and joins. A pass that throws is logged
// and the loop goes on: background work outlives a database outage. A pass
// that never returns (a hung call) is what stalled() reports, for the watchdog.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace paymentd {

class PeriodicLoop {
 public:
  /// @param pass returns true when more work is waiting (run again at once).
  PeriodicLoop(std::string logger_name, std::chrono::milliseconds interval,
               std::function<bool()> pass);
  ~PeriodicLoop();
  PeriodicLoop(const PeriodicLoop&) = delete;
  PeriodicLoop& operator=(const PeriodicLoop&) = delete;

  void start();
  /// Idempotent; returns once the current pass, if any, has finished.
  void stop();
  /// True while one pass has been running for longer than `limit`.
  bool stalled(std::chrono::steady_clock::duration limit) const;
  /// A reload's interval: the wait under way ends at once and the next uses it.
  void setInterval(std::chrono::milliseconds interval);

 private:
  std::string logger_name_;
  std::chrono::milliseconds interval_;
  std::function<bool()> pass_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  // When the running pass started (steady_clock ticks); 0 between passes.
  std::atomic<std::int64_t> pass_started_{0};
  bool interval_changed_ = false;
  std::thread thread_;
};

}  // namespace paymentd
