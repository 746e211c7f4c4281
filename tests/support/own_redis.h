// support/own_redis.h: a redis-server of the test's own, on a free loopback port,
// so the test can stop, hang and restart it without disturbing others.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace paymentd::testing {

/// A free TCP port on 127.0.0.1 (the kernel's pick; free when this returns).
std::uint16_t freeLoopbackPort();

class OwnRedis {
 public:
  OwnRedis();
  void start();
  void stop();
  void pause();   // SIGSTOP: a hung server
  void resume();  // SIGCONT
  std::string url() const;

 private:
  std::uint16_t port_;
  TempDir dir_;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace paymentd::testing
