#include "http/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/String.h>

#include <istream>
#include <thread>

#include "http/framing.h"
#include "http/request_target.h"

namespace paymentd::http {
namespace {

// Reads at most `limit` + 1 bytes, so an over-long chunked body is detected
// without being buffered whole.
bool readBody(std::istream& in, std::int64_t limit, std::string& body) {
  char buffer[8192];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::int64_t>(body.size()) > limit) return false;
  }
  return true;
}

class DispatchHandler : public Poco::Net::HTTPRequestHandler {
 public:
  DispatchHandler(const Router& router, std::int64_t max_body_bytes,
                  const std::atomic<bool>& shutting_down)
      : router_(router), max_body_bytes_(max_body_bytes), shutting_down_(shutting_down) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    HttpResponse reply;
    bool body_complete = true;
    try {
      reply = handle(request, body_complete);
    } catch (const std::exception& e) {
      Poco::Logger::get("http").error(std::string("unhandled error in ") + request.getURI() + ": " +
                                      e.what());
      reply = errorResponse(500, "INTERNAL_ERROR", "internal error");
    }
    if (reply.drop_connection) {
      response.setKeepAlive(false);
      static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().shutdown();
      return;
    }
    // An unread body would be parsed as the next request; a draining server
    // tells keep-alive clients to go.
    if (!body_complete || shutting_down_.load()) response.setKeepAlive(false);
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.content_type);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.sendBuffer(reply.body.data(), reply.body.size());
  }

 private:
  HttpResponse handle(Poco::Net::HTTPServerRequest& request, bool& body_complete) {
    if (request.hasContentLength() && request.getContentLength64() > max_body_bytes_) {
      body_complete = false;
      return errorResponse(413, "PAYLOAD_TOO_LARGE",
                           "body over " + std::to_string(max_body_bytes_) + " bytes");
    }
    HttpRequest in;
    if (!parseRequestTarget(request.getURI(), in)) {
      body_complete = false;
      return errorResponse(400, "BAD_REQUEST", "malformed request target");
    }
    if (hasBody(request) && !readBody(request.stream(), max_body_bytes_, in.body)) {
      body_complete = false;
      return errorResponse(413, "PAYLOAD_TOO_LARGE",
                           "body over " + std::to_string(max_body_bytes_) + " bytes");
    }
    in.method = request.getMethod();
    in.remote_address = request.clientAddress().toString();
    for (const auto& [name, value] : request) in.headers.emplace(Poco::toLower(name), value);
    return router_.dispatch(in);
  }

  const Router& router_;
  std::int64_t max_body_bytes_;
  const std::atomic<bool>& shutting_down_;
};

class DispatchFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  DispatchFactory(std::shared_ptr<const Router> router, std::int64_t max_body_bytes,
                  const std::atomic<bool>& shutting_down)
      : router_(std::move(router)),
        max_body_bytes_(max_body_bytes),
        shutting_down_(shutting_down) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new DispatchHandler(*router_, max_body_bytes_, shutting_down_);
  }

 private:
  std::shared_ptr<const Router> router_;
  std::int64_t max_body_bytes_;
  const std::atomic<bool>& shutting_down_;
};

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, std::shared_ptr<const Router> router)
    : options_(std::move(options)),
      router_(std::move(router)),
      pool_("http", 2, options_.threads + 1) {}  // +1: Poco's acceptor thread

HttpServer::~HttpServer() {
  if (server_ && !shutting_down_.load()) shutdown(std::chrono::milliseconds(0));
}

void HttpServer::start() {
  socket_.bind(Poco::Net::SocketAddress(options_.host, options_.port), /*reuseAddress=*/true,
               /*reusePort=*/false);
  socket_.listen(128);
  // One owner: a raw pointer handed to two Ptrs would be freed twice.
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.threads);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_timeout.count(), 0));
  params->setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers =
      new DispatchFactory(router_, options_.max_body_bytes, shutting_down_);
  server_ = std::make_unique<Poco::Net::TCPServer>(
      new HttpConnectionFactory(params, handlers, stop_), pool_, socket_, params);
  server_->start();
}

std::uint16_t HttpServer::port() const {
  return server_ ? server_->port() : 0;
}

bool HttpServer::shutdown(std::chrono::milliseconds drain) {
  if (!server_) return true;
  shutting_down_.store(true);
  server_->stop();  // stops the acceptor; connections being served go on
  socket_.close();  // new connections are refused instead of queued forever
  const auto deadline = std::chrono::steady_clock::now() + drain;
  while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const bool drained = server_->currentConnections() == 0;
  server_->stop();
  const bool abort_current = true;
  stop_->notify(this, abort_current);  // what Poco's HTTPServer::stopAll does
  pool_.joinAll();
  return drained;
}

}  // namespace paymentd::http
