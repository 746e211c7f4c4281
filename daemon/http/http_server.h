// http/http_server.h: the daemon's HTTP listener (Boost.Beast on Boost.Asio).
//
// One I/O thread reads and writes every connection without blocking; a request, once read
// whole, is handled on one of `threads` handler threads (handlers block on the database and
// PortOne). So an idle or trickling client costs a socket and a buffer, never a thread: the
// most connections open at once is `max_connections`, refused beyond with a 503. Each
// request's header must arrive within `header_timeout` and its body within `body_timeout`
// (whole deadlines, not per read), an idle keep-alive connection is closed after
// `keep_alive_timeout`. Framing that a proxy could read differently is refused
// (http/framing.h). The socket is bound without SO_REUSEPORT: a second daemon on the same
// port fails to start instead of silently sharing it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.h"

namespace paymentd::http {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (tests)
  int threads = 16;           // requests handled at once
  std::size_t max_connections = 1024;
  std::int64_t max_body_bytes = 64 * 1024;
  std::chrono::seconds keep_alive_timeout{5};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, std::shared_ptr<const Router> router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts accepting. @throws Poco::Net::NetException when the port is taken.
  void start();
  /// The port actually bound (useful with port 0).
  std::uint16_t port() const;
  /// Connections open now (being read, handled, written or idle between requests).
  std::size_t openConnections() const;
  /// Stops accepting, closes idle connections, lets requests in flight finish (answered with
  /// Connection: close) for up to `drain`, then closes what is left.
  /// @return whether every request finished within `drain`.
  bool shutdown(std::chrono::milliseconds drain);
  bool shuttingDown() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace paymentd::http
