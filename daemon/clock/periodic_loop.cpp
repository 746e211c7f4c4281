#include "clock/periodic_loop.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <exception>
#include <string>

namespace paymentd {

PeriodicLoop::PeriodicLoop(std::string logger_name, std::chrono::milliseconds interval,
                           std::function<bool()> pass)
    : logger_name_(std::move(logger_name)), interval_(interval), pass_(std::move(pass)) {}

PeriodicLoop::~PeriodicLoop() {
  stop();
}

void PeriodicLoop::start() {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      bool more = false;
      pass_started_.store(
          std::max<std::int64_t>(1, std::chrono::steady_clock::now().time_since_epoch().count()));
      try {
        more = pass_();
      } catch (const std::exception& e) {
        Poco::Logger::get(logger_name_).warning(std::string("pass failed: ") + e.what());
      }
      pass_started_.store(0);
      lock.lock();
      if (!more) {
        wake_.wait_for(lock, interval_, [this] { return stopping_ || interval_changed_; });
      }
      interval_changed_ = false;
    }
  });
}

bool PeriodicLoop::stalled(std::chrono::steady_clock::duration limit) const {
  const std::int64_t started = pass_started_.load();
  if (started == 0) return false;
  const auto running = std::chrono::steady_clock::now().time_since_epoch() -
                       std::chrono::steady_clock::duration(started);
  return running > limit;
}

void PeriodicLoop::setInterval(std::chrono::milliseconds interval) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    interval_ = interval;
    interval_changed_ = true;
  }
  wake_.notify_all();
}

void PeriodicLoop::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace paymentd
