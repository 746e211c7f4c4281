#include "http/http_server.h"

#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "http/http_session.h"

namespace paymentd::http {
namespace {

using boost::asio::ip::tcp;

constexpr int kBacklog = 512;
constexpr std::chrono::seconds kRefusalLogInterval{10};
const std::string kTooManyConnections =
    R"({"error":{"code":"TOO_MANY_CONNECTIONS","message":"too many connections open; retry"}})";

tcp::endpoint endpointOf(boost::asio::io_context& io, const std::string& host, std::uint16_t port) {
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(host, error);
  if (!error) return {address, port};
  tcp::resolver resolver(io);
  const auto found = resolver.resolve(host, std::to_string(port), error);
  if (error || found.empty()) {
    throw Poco::Net::NetException("cannot resolve " + host + ": " + error.message());
  }
  return found.begin()->endpoint();
}

// Over the bound: answered at once and closed, without reading (the socket's buffer takes
// the few bytes; a client that cannot take them gets nothing, as it would from a full queue).
void refuseConnection(tcp::socket socket) {
  const std::string answer =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
      std::to_string(kTooManyConnections.size()) + "\r\n\r\n" + kTooManyConnections;
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(boost::asio::buffer(answer), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions opts, std::shared_ptr<const Router> r)
      : options(std::move(opts)),
        router(std::move(r)),
        handlers(static_cast<std::size_t>(options.threads)),
        context(options, *router, handlers) {}

  void accept() {
    acceptor.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
      if (error) {
        if (!acceptor.is_open()) return;  // shut down
        Poco::Logger::get("http").warning("cannot accept a connection: " + error.message());
        return accept();
      }
      if (context.open() >= options.max_connections) {
        logRefusal();
        refuseConnection(std::move(socket));
      } else {
        std::make_shared<HttpSession>(std::move(socket), context)->start();
      }
      accept();
    });
  }

  void logRefusal() {
    ++refused;
    const auto now = std::chrono::steady_clock::now();
    if (last_refusal_log && now - *last_refusal_log < kRefusalLogInterval) return;
    last_refusal_log = now;
    Poco::Logger::get("http").warning(
        "refusing connections: " + std::to_string(options.max_connections) +
        " open (http.max_connections); " + std::to_string(refused) + " refused so far");
  }

  // Runs `task` on the I/O thread, which owns the acceptor and the sessions, and waits.
  template <typename Task>
  void onIoThread(Task task) {
    std::promise<void> done;
    boost::asio::post(io, [&] {
      task();
      done.set_value();
    });
    done.get_future().wait();
  }

  // On the I/O thread: `action` on each live session.
  template <typename Action>
  void forEachSession(Action action) {
    std::vector<std::shared_ptr<HttpSession>> live;
    {
      std::lock_guard<std::mutex> lock(context.mutex);
      for (const auto& weak : context.sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (const auto& session : live) action(*session);
  }

  HttpServerOptions options;
  std::shared_ptr<const Router> router;
  boost::asio::thread_pool handlers;
  SessionContext context;  // outlives `io`: sessions still queued there deregister on destruction
  boost::asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::thread io_thread;
  std::uint16_t port = 0;
  bool started = false;
  bool stopped = false;
  std::uint64_t refused = 0;  // I/O thread only
  std::optional<std::chrono::steady_clock::time_point> last_refusal_log;
};

HttpServer::HttpServer(HttpServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

HttpServer::~HttpServer() {
  if (impl_->started && !impl_->stopped) shutdown(std::chrono::milliseconds(0));
}

void HttpServer::start() {
  Impl& s = *impl_;
  try {
    const tcp::endpoint endpoint = endpointOf(s.io, s.options.host, s.options.port);
    s.acceptor.open(endpoint.protocol());
    s.acceptor.set_option(tcp::acceptor::reuse_address(true));
    s.acceptor.bind(endpoint);
    s.acceptor.listen(kBacklog);
    s.port = s.acceptor.local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    throw Poco::Net::NetException(e.code().message());
  }
  s.work.emplace(s.io.get_executor());
  s.accept();
  s.io_thread = std::thread([&s] { s.io.run(); });
  s.started = true;
}

std::uint16_t HttpServer::port() const {
  return impl_->port;
}

std::size_t HttpServer::openConnections() const {
  return impl_->context.open();
}

bool HttpServer::shuttingDown() const {
  return impl_->context.shutting_down.load();
}

bool HttpServer::shutdown(std::chrono::milliseconds drain) {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return true;
  s.stopped = true;
  s.context.shutting_down.store(true);
  s.onIoThread([&s] {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);  // new connections are refused, not queued
    s.forEachSession([](HttpSession& session) { session.closeIfIdle(); });
  });
  const auto deadline = std::chrono::steady_clock::now() + drain;
  while (s.context.open() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const bool drained = s.context.open() == 0;
  s.onIoThread([&s] { s.forEachSession([](HttpSession& session) { session.close(); }); });
  s.handlers.join();  // handlers still running finish; their answers are dropped
  s.work.reset();
  s.io.stop();
  s.io_thread.join();
  return drained;
}

}  // namespace paymentd::http
