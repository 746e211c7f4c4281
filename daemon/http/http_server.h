// http/http_server.h: the daemon's HTTP listener (Poco Net, one thread per connection).
//
// Poco serves each connection on its own thread and an idle keep-alive
// connection pins its thread, so `threads` is both the pool size and the most
// connections served at once, and the keep-alive timeout is kept short.
// The socket is bound without SO_REUSEPORT: a second daemon on the same port
// fails to start instead of silently sharing it. Connections are served by
// http/http_connection.h, which refuses unsound framing (http/framing.h).
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/http_connection.h"
#include "http/router.h"

namespace paymentd::http {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (tests)
  int threads = 16;
  std::int64_t max_body_bytes = 64 * 1024;
  std::chrono::seconds keep_alive_timeout{5};
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
  /// Stops accepting, lets requests in flight finish (answered with
  /// Connection: close) for up to `drain`, then closes what is left.
  /// @return whether every request finished within `drain`.
  bool shutdown(std::chrono::milliseconds drain);
  bool shuttingDown() const { return shutting_down_.load(); }

 private:
  HttpServerOptions options_;
  std::shared_ptr<const Router> router_;
  std::atomic<bool> shutting_down_{false};
  Poco::ThreadPool pool_;
  Poco::Net::ServerSocket socket_;  // kept to close it: Poco stops accepting but keeps it bound
  std::shared_ptr<StopEvent> stop_ = std::make_shared<StopEvent>();  // ends the connections
  std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace paymentd::http
