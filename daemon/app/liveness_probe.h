// app/liveness_probe.h: what the systemd watchdog's ping vouches for.
//
// A ping from a timer thread would only prove that the timer runs: a daemon
// whose HTTP threads are all stuck would be kept alive. The watchdog pings only
// after the daemon answered its own GET /healthz, through the listener and one
// of the request threads PortOne's webhooks need.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace paymentd::app {

/// True when GET /healthz on the listener (`host` as http.listen names it; a
/// wildcard address is reached through loopback) answers 200 within `timeout`.
bool healthzAnswers(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace paymentd::app
