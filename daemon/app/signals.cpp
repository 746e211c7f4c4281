#include "app/signals.h"

#include <signal.h>

namespace paymentd::app {

void blockDaemonSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGQUIT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ReloadSignal::ReloadSignal(std::function<void()> on_reload)
    : thread_([this, on_reload = std::move(on_reload)] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGHUP);
        while (true) {
          int received = 0;
          if (sigwait(&set, &received) != 0) continue;
          if (stop_.load()) return;
          on_reload();
        }
      }) {}

ReloadSignal::~ReloadSignal() {
  stop_.store(true);
  pthread_kill(thread_.native_handle(), SIGHUP);  // wakes the sigwait
  thread_.join();
}

}  // namespace paymentd::app
