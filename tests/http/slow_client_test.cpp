// Clients that connect and then stall or trickle: they cost the server a socket each,
// never a handler thread, and each is closed when its whole deadline ends, so a
// well-behaved request is still answered beside any number of them (up to the
// connection bound, beyond which a connection is refused with a clear 503).
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/http_server.h"
#include "raw_http.h"

namespace paymentd::http {
namespace {

using namespace std::chrono_literals;
using testing::rawExchange;
using testing::statuses;

const std::string kHealthz = "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

class SlowClientTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options) {
    auto router = std::make_shared<Router>();
    router->add("GET", "/ping", [](const HttpRequest&) { return jsonResponse(200, "{}"); });
    router->add("POST", "/echo", [](const HttpRequest& request) {
      return jsonResponse(200, std::to_string(request.body.size()));
    });
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options, router);
    server_->start();
  }

  Poco::Net::StreamSocket connect() {
    return Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
  }

  // Waits until the server holds `count` connections (accepting is asynchronous).
  void awaitOpen(std::size_t count) {
    for (int i = 0; i < 500 && server_->openConnections() != count; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(server_->openConnections(), count);
  }

  std::unique_ptr<HttpServer> server_;
};

// True when the server closed the socket (EOF or reset) within `within`.
bool closedBy(Poco::Net::StreamSocket& socket, std::chrono::milliseconds within) {
  socket.setReceiveTimeout(Poco::Timespan(0, static_cast<long>(within.count()) * 1000));
  char byte;
  try {
    return socket.receiveBytes(&byte, 1) == 0;
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Net::NetException&) {
    return true;
  }
}

TEST_F(SlowClientTest, AnswersARequestBesideManyMoreStalledClientsThanThreads) {
  HttpServerOptions options;
  options.threads = 2;
  start(options);
  std::vector<Poco::Net::StreamSocket> stalled;
  for (int i = 0; i < 200; ++i) {
    stalled.push_back(connect());
    const std::string part = i % 2 == 0 ? "" : "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Le";
    if (!part.empty()) stalled.back().sendBytes(part.data(), static_cast<int>(part.size()));
  }
  awaitOpen(200);
  EXPECT_EQ(statuses(rawExchange(server_->port(), kHealthz)), std::vector<int>{200});
  // A body that stalls holds no thread either.
  auto body = connect();
  const std::string head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel";
  body.sendBytes(head.data(), static_cast<int>(head.size()));
  EXPECT_EQ(statuses(rawExchange(server_->port(), kHealthz)), std::vector<int>{200});
}

// A deadline for the whole header, not per read: a byte every 50 ms never resets it.
TEST_F(SlowClientTest, ClosesAClientThatTricklesItsHeaderPastTheDeadline) {
  HttpServerOptions options;
  options.header_timeout = 300ms;
  start(options);
  auto socket = connect();
  const std::string header = "GET /ping HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(40, 'a');
  const auto began = std::chrono::steady_clock::now();
  bool closed = false;
  for (char c : header) {
    try {
      socket.sendBytes(&c, 1);
    } catch (const Poco::Net::NetException&) {
      closed = true;
      break;
    }
    if (closedBy(socket, 50ms)) {
      closed = true;
      break;
    }
  }
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_TRUE(closed) << "the whole header was trickled without being cut off";
  EXPECT_LT(took, 1500ms);
}

TEST_F(SlowClientTest, ClosesAClientThatStallsItsBodyPastTheDeadline) {
  HttpServerOptions options;
  options.body_timeout = 300ms;
  start(options);
  auto socket = connect();
  const std::string head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel";
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  EXPECT_TRUE(closedBy(socket, 1500ms));
  awaitOpen(0);
}

TEST_F(SlowClientTest, ClosesAConnectionThatNeverSendsAnything) {
  HttpServerOptions options;
  options.header_timeout = 300ms;
  start(options);
  auto socket = connect();
  EXPECT_TRUE(closedBy(socket, 1500ms));
  awaitOpen(0);
}

TEST_F(SlowClientTest, RefusesConnectionsOverTheBoundWith503AndServesAgainBelowIt) {
  HttpServerOptions options;
  options.max_connections = 3;
  start(options);
  std::vector<Poco::Net::StreamSocket> held;
  for (int i = 0; i < 3; ++i) held.push_back(connect());
  awaitOpen(3);
  const std::string refused = rawExchange(server_->port(), kHealthz);
  EXPECT_EQ(statuses(refused), std::vector<int>{503}) << refused;
  EXPECT_NE(refused.find(R"("code":"TOO_MANY_CONNECTIONS")"), std::string::npos) << refused;
  for (auto& socket : held) socket.close();
  awaitOpen(0);
  EXPECT_EQ(statuses(rawExchange(server_->port(), kHealthz)), std::vector<int>{200});
}

// Idle keep-alive connections are only sockets: one thread serves a new client beside them.
TEST_F(SlowClientTest, IdleKeepAliveConnectionsPinNoThread) {
  HttpServerOptions options;
  options.threads = 1;
  options.keep_alive_timeout = 30s;
  start(options);
  std::vector<Poco::Net::StreamSocket> idle;
  const std::string keep = "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 20; ++i) {
    idle.push_back(connect());
    idle.back().sendBytes(keep.data(), static_cast<int>(keep.size()));
    char buffer[512];
    idle.back().setReceiveTimeout(Poco::Timespan(5, 0));
    ASSERT_GT(idle.back().receiveBytes(buffer, sizeof buffer), 0);
  }
  awaitOpen(20);
  EXPECT_EQ(statuses(rawExchange(server_->port(), kHealthz)), std::vector<int>{200});
  // A stop does not wait for them: they have no request in flight.
  const auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(server_->shutdown(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2s);
  for (auto& socket : idle) EXPECT_TRUE(closedBy(socket, 1000ms));
}

}  // namespace
}  // namespace paymentd::http
