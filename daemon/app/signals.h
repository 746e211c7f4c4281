// app/signals.h: the daemon's signals, taken by threads that wait for them.
//
// SIGTERM, SIGINT, SIGQUIT and SIGHUP are blocked in every thread (block them
// before starting any), so none of them can kill the process from a thread
// that happens to receive it: the main thread waits for the first three
// (shutdown), and a ReloadSignal thread waits for SIGHUP (reload). SIGHUP's
// default action would otherwise terminate the daemon on `systemctl reload`.
#pragma once

#include <pthread.h>

#include <atomic>
#include <functional>
#include <thread>

namespace paymentd::app {

/// Call first thing, on the main thread, before any other thread exists.
void blockDaemonSignals();

class ReloadSignal {
 public:
  /// Calls `on_reload` on its own thread for every SIGHUP.
  explicit ReloadSignal(std::function<void()> on_reload);
  ~ReloadSignal();
  ReloadSignal(const ReloadSignal&) = delete;
  ReloadSignal& operator=(const ReloadSignal&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace paymentd::app
