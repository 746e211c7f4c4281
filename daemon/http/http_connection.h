// http/http_connection.h: one client connection of the HTTP server, with the framing rules.
//
// Poco's HTTPServerConnection parses Content-Length while it builds the request, so a value
// that is not a number ends the connection without an answer, and it hands any framing to
// the handler; it has no hook for either. So this connection drives Poco's public session,
// request and response types itself, in the order Poco's own connection does (one request
// at a time, keep-alive as both sides allow), adding two steps: such a request is answered
// 400, and framingProblem() (http/framing.h) is checked before a handler is created, so a
// refused body is never read.
#pragma once

#include <Poco/BasicEvent.h>
#include <Poco/Mutex.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <memory>
#include <string>

namespace paymentd::http {

/// Fired with abort_current when the server stops: each connection shuts its socket, at once
/// or after the request in flight (Poco keeps its own such event for its own connections).
using StopEvent = Poco::BasicEvent<const bool>;

class HttpConnection : public Poco::Net::TCPServerConnection {
 public:
  HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                 Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                 std::shared_ptr<StopEvent> stop);
  ~HttpConnection() override;
  void run() override;

 private:
  void onServerStopped(const bool& abort_current);

  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  std::shared_ptr<StopEvent> stop_;
  std::atomic<bool> stopped_{false};
  Poco::FastMutex mutex_;
};

/// Makes an HttpConnection per accepted socket, each listening to `stop`.
class HttpConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  HttpConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                        Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                        std::shared_ptr<StopEvent> stop)
      : params_(std::move(params)), factory_(std::move(factory)), stop_(std::move(stop)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new HttpConnection(socket, params_, factory_, stop_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  std::shared_ptr<StopEvent> stop_;
};

}  // namespace paymentd::http
