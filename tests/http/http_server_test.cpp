// The HTTP server: health routes, body limit, routing, and a graceful stop.
#include "http/http_server.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http/health_routes.h"
#include "log/log_formatter.h"
#include "raw_http.h"

namespace paymentd::http {
namespace {

using testing::rawExchange;
using testing::statuses;

struct Reply {
  int status = 0;
  std::string body;
  bool keep_alive = true;
};

Reply send(std::uint16_t port, const std::string& method, const std::string& path,
           const std::string& body = "", bool chunked = false) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (chunked) {
    request.setChunkedTransferEncoding(true);
  } else if (!body.empty() || method == "POST") {
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  reply.keep_alive = response.getKeepAlive();
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void start(std::int64_t max_body = 1024) {
    auto router = std::make_shared<Router>();
    addHealthRoutes(*router, readiness_);
    router->add("POST", "/echo", [](const HttpRequest& request) {
      return jsonResponse(200, std::to_string(request.body.size()));
    });
    router->add("GET", "/items/*", [](const HttpRequest& request) {
      return jsonResponse(200,
                          request.path.substr(7) + "?" + request.queryParam("q").value_or("-"));
    });
    router->add("GET", "/boom",
                [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
    router->add("GET", "/slow", [this](const HttpRequest&) {
      slow_entered_.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      return jsonResponse(200, R"({"slow":true})");
    });
    HttpServerOptions options;
    options.port = 0;
    options.threads = 4;
    options.max_body_bytes = max_body;
    server_ = std::make_unique<HttpServer>(options, router);
    server_->start();
  }

  Readiness readiness_;
  std::promise<void> slow_entered_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AnswersHealthz) {
  start();
  Reply reply = send(server_->port(), "GET", "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"status":"ok"})");
}

TEST_F(HttpServerTest, ReadyzFailsWhileACheckFails) {
  start();
  std::atomic<bool> database_up{false};
  readiness_.add("database", [&]() -> std::optional<std::string> {
    if (database_up.load()) return std::nullopt;
    return "connection refused";
  });
  Reply down = send(server_->port(), "GET", "/readyz");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body, R"({"failures":["database: connection refused"],"status":"not_ready"})");
  database_up = true;
  EXPECT_EQ(send(server_->port(), "GET", "/readyz").status, 200);
}

TEST_F(HttpServerTest, RefusesABodyOverTheLimitByContentLength) {
  start(1024);
  Reply reply = send(server_->port(), "POST", "/echo", std::string(1025, 'x'));
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.body,
            R"({"error":{"code":"PAYLOAD_TOO_LARGE","message":"body over 1024 bytes"}})");
  EXPECT_FALSE(reply.keep_alive);
}

TEST_F(HttpServerTest, RefusesAChunkedBodyOverTheLimit) {
  start(1024);
  Reply reply = send(server_->port(), "POST", "/echo", std::string(5000, 'x'), /*chunked=*/true);
  EXPECT_EQ(reply.status, 413);
}

TEST_F(HttpServerTest, AcceptsABodyAtTheLimit) {
  start(1024);
  Reply reply = send(server_->port(), "POST", "/echo", std::string(1024, 'x'));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "1024");
}

TEST_F(HttpServerTest, RoutesPrefixesAndQueriesAndRefusesOthers) {
  start();
  EXPECT_EQ(send(server_->port(), "GET", "/items/pay-1?q=a%20b").body, "pay-1?a b");
  EXPECT_EQ(send(server_->port(), "GET", "/items/").status, 404);
  EXPECT_EQ(send(server_->port(), "GET", "/nothing").status, 404);
  EXPECT_EQ(send(server_->port(), "POST", "/healthz").status, 405);
}

// Poco::URI refuses a malformed %-escape; that is the client's fault, so it is a 400 for
// every path, known or not, and no handler runs.
TEST_F(HttpServerTest, AnswersAMalformedPercentEscapeWith400BeforeRouting) {
  start();
  for (const std::string target : {"/healthz?a=%zz", "/items/pay-%zz", "/nothing%zz", "/items/%"}) {
    const std::string raw = rawExchange(
        server_->port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(statuses(raw), std::vector<int>{400}) << target << "\n" << raw;
    EXPECT_NE(raw.find(R"({"error":{"code":"BAD_REQUEST","message":"malformed request target"}})"),
              std::string::npos)
        << raw;
  }
}

// Formats every line the http logger writes, as the daemon's text log would.
class CapturingChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::string line;
    formatter_.format(message, line);
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(line);
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

 private:
  log::LogFormatter formatter_{config::LogFormat::kText};
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// RFC 9112 3.2: a request-target has no control bytes (CR, LF, ESC, DEL): refused before
// routing, so none reaches a handler or a log line.
TEST_F(HttpServerTest, RefusesControlBytesInTheRequestTargetWith400) {
  start();
  for (const std::string target : {"/boom?x=\x1b[2J", "/boom?x=\x7f", "/healthz\x01"}) {
    const std::string raw = rawExchange(
        server_->port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(statuses(raw), std::vector<int>{400}) << raw;
    EXPECT_NE(raw.find(R"("code":"BAD_REQUEST")"), std::string::npos) << raw;
  }
}

TEST_F(HttpServerTest, LogsAFailingRequestsTargetWithItsInvalidUtf8Escaped) {
  start();
  Poco::AutoPtr<CapturingChannel> channel(new CapturingChannel);
  Poco::Logger& logger = Poco::Logger::get("http");
  const Poco::Channel::Ptr previous = logger.getChannel();
  logger.setChannel(channel);
  const std::string raw = rawExchange(
      server_->port(), "GET /boom?x=\xc3\x28\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  logger.setChannel(previous);

  EXPECT_EQ(statuses(raw), std::vector<int>{500}) << raw;
  const auto lines = channel->lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"(msg="unhandled error in /boom?x=\xC3(\xFF: boom")"), std::string::npos)
      << lines[0];
  for (unsigned char c : lines[0]) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << lines[0];
}

// The client asked to be told before it sends the body: it is told, then answered.
TEST_F(HttpServerTest, AnswersExpectContinueBeforeReadingTheBody) {
  start();
  const std::string raw =
      rawExchange(server_->port(),
                  "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
                  "Connection: close\r\n\r\nhello");
  EXPECT_EQ(statuses(raw), (std::vector<int>{100, 200})) << raw;
  EXPECT_NE(raw.find("\r\n\r\n5"), std::string::npos) << raw;
}

TEST_F(HttpServerTest, SecondServerOnTheSamePortFailsToStart) {
  start();
  HttpServerOptions options;
  options.port = server_->port();
  HttpServer second(options, std::make_shared<Router>());
  EXPECT_THROW(second.start(), Poco::Net::NetException);
}

TEST_F(HttpServerTest, ShutdownFinishesTheRequestInFlight) {
  start();
  const std::uint16_t port = server_->port();
  auto in_flight = std::async(std::launch::async, [port] { return send(port, "GET", "/slow"); });
  slow_entered_.get_future().wait();

  readiness_.setDraining();
  const bool drained = server_->shutdown(std::chrono::seconds(5));

  Reply reply = in_flight.get();
  EXPECT_TRUE(drained);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"slow":true})");
  EXPECT_FALSE(reply.keep_alive);  // told to go away
  EXPECT_THROW(send(port, "GET", "/healthz"), Poco::Net::NetException);
}

}  // namespace
}  // namespace paymentd::http
