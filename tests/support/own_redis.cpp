#include "support/own_redis.h"

#include <Poco/Net/ServerSocket.h>
#include <signal.h>

#include <stdexcept>

namespace paymentd::testing {

std::uint16_t freeLoopbackPort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  return probe.address().port();
}

OwnRedis::OwnRedis() : port_(freeLoopbackPort()) {
  start();
}

void OwnRedis::start() {
  process_ = std::make_unique<BackgroundProcess>(
      "/usr/bin/redis-server",
      std::vector<std::string>{"--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", dir_.path().string()},
      (dir_.path() / "redis.log").string());
  if (!waitForOutput(*process_, "Ready to accept connections", std::chrono::seconds(10))) {
    throw std::runtime_error("redis-server did not start: " + process_->stderrText());
  }
}

void OwnRedis::stop() {
  process_->signal(SIGTERM);
  process_->waitFor(std::chrono::seconds(10));
}

void OwnRedis::pause() {
  process_->signal(SIGSTOP);
}
void OwnRedis::resume() {
  process_->signal(SIGCONT);
}

std::string OwnRedis::url() const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/0";
}

}  // namespace paymentd::testing
