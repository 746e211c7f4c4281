// plugin_support/fake_http_server.h: a loopback HTTP server (port 0) that
// records every request and answers with the statuses a test queues, for
// checking what a notifier plugin puts on the wire.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace paymentd::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
};

class FakeHttpServer {
 public:
  FakeHttpServer()
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new Factory(*this), socket_, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~FakeHttpServer() { server_.stopAll(true); }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
  }
  /// The next answers, in order; then 200 with `ok`.
  void queue(int status, std::string body) {
    std::lock_guard<std::mutex> lock(mutex_);
    answers_.emplace_back(status, std::move(body));
  }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(FakeHttpServer& server) : server_(server) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      RecordedRequest recorded;
      recorded.method = request.getMethod();
      recorded.path = request.getURI();
      for (const auto& [name, value] : request) recorded.headers[name] = value;
      Poco::StreamCopier::copyToString(request.stream(), recorded.body);
      std::pair<int, std::string> answer{200, "ok"};
      {
        std::lock_guard<std::mutex> lock(server_.mutex_);
        server_.requests_.push_back(recorded);
        if (!server_.answers_.empty()) {
          answer = server_.answers_.front();
          server_.answers_.pop_front();
        }
      }
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.first));
      response.setContentLength64(static_cast<Poco::Int64>(answer.second.size()));
      response.send() << answer.second;
    }

   private:
    FakeHttpServer& server_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(FakeHttpServer& server) : server_(server) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(server_);
    }

   private:
    FakeHttpServer& server_;
  };

  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::deque<std::pair<int, std::string>> answers_;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

}  // namespace paymentd::testing
