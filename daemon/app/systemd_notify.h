// app/systemd_notify.h: tells systemd (Type=notify) what the daemon is doing.
//
// Every call is a no-op when the daemon was not started by systemd
// (NOTIFY_SOCKET unset), so the same binary runs in a terminal and in tests.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace paymentd::app {

class SystemdNotify {
 public:
  SystemdNotify() = default;
  ~SystemdNotify();
  SystemdNotify(const SystemdNotify&) = delete;
  SystemdNotify& operator=(const SystemdNotify&) = delete;

  /// READY=1 with a status line; starts the watchdog pings if WatchdogSec= is set.
  /// Each ping is sent only when `problem` (if given) answers "", so a wedged daemon
  /// misses its pings and systemd restarts it; otherwise its answer is logged.
  void ready(const std::string& status, std::function<std::string()> problem = {});
  void reloading();
  void stopping();

 private:
  std::atomic<bool> stop_{false};
  std::thread watchdog_;
};

}  // namespace paymentd::app
