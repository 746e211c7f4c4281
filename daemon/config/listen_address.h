// config/listen_address.h: a listener's `HOST:PORT` (`[::1]:8081` for IPv6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace paymentd::config {

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

/// nullopt for anything but HOST:PORT with a port of 0-65535.
std::optional<ListenAddress> parseListenAddress(const std::string& text);

}  // namespace paymentd::config
