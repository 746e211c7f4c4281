// http/http_session.h: one client connection of the HTTP server (internal to http/).
//
// A session reads one request at a time on the server's I/O thread (header, then body, each
// under its own whole deadline), hands it to a handler thread, and writes the answer back on
// the I/O thread; then it waits for the next request as keep-alive allows. Between requests
// it is idle: the server closes idle sessions first when it stops.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http/http_message.h"
#include "http/http_server.h"

namespace paymentd::http {

class HttpSession;

/// What every connection of one server shares. The registry is read and changed from the
/// I/O thread and from a session's destructor (wherever its last owner lets go).
struct SessionContext {
  SessionContext(const HttpServerOptions& server_options, const Router& server_router,
                 boost::asio::thread_pool& handler_pool)
      : options(server_options), router(server_router), handlers(handler_pool) {}

  const HttpServerOptions& options;
  const Router& router;
  boost::asio::thread_pool& handlers;
  std::atomic<bool> shutting_down{false};

  std::mutex mutex;
  std::list<std::weak_ptr<HttpSession>> sessions;

  std::size_t open() {
    std::lock_guard<std::mutex> lock(mutex);
    return sessions.size();
  }
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, SessionContext& context);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  /// Registers the session and starts reading its first request.
  void start();
  /// On the I/O thread: closes the connection when it is between requests.
  void closeIfIdle();
  /// On the I/O thread: closes the connection whatever it is doing.
  void close();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  void awaitRequest();
  void readHeader();
  void onHeader(const boost::system::error_code& error);
  void readBody();
  void onBody(const boost::system::error_code& error);
  void handle();
  void respond(HttpResponse reply, bool keep_alive);
  void refuse(const boost::system::error_code& error);
  void refuse(int status, const std::string& code, const std::string& message);

  SessionContext& context_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::string remote_address_;
  std::list<std::weak_ptr<HttpSession>>::iterator registered_;
  bool registered_in_ = false;
  bool idle_ = true;
  bool first_request_ = true;
};

}  // namespace paymentd::http
