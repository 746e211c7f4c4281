#include "app/systemd_notify.h"

#include <Poco/Logger.h>
#include <systemd/sd-daemon.h>

#include <chrono>

namespace paymentd::app {

SystemdNotify::~SystemdNotify() {
  stop_.store(true);
  if (watchdog_.joinable()) watchdog_.join();
}

void SystemdNotify::ready(const std::string& status, std::function<std::string()> problem) {
  sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
  std::uint64_t interval_us = 0;
  if (sd_watchdog_enabled(0, &interval_us) <= 0 || watchdog_.joinable()) return;
  // Ping at half the interval, as sd_watchdog_enabled(3) advises: one missed ping is
  // forgiven, two in a row (the whole interval) are not.
  const auto period = std::chrono::microseconds(interval_us / 2);
  watchdog_ = std::thread([this, period, problem = std::move(problem)] {
    auto next = std::chrono::steady_clock::now();
    while (!stop_.load()) {
      if (std::chrono::steady_clock::now() >= next) {
        const std::string found = problem ? problem() : "";
        if (found.empty()) {
          sd_notify(0, "WATCHDOG=1");
        } else {
          Poco::Logger::get("paymentd")
              .warning("watchdog: " + found + "; no ping to systemd this time");
        }
        next += period;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
}

void SystemdNotify::reloading() {
  sd_notify(0, "RELOADING=1");
}

void SystemdNotify::stopping() {
  sd_notify(0, "STOPPING=1");
  stop_.store(true);
}

}  // namespace paymentd::app
