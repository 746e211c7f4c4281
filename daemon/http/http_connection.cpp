#include "http/http_connection.h"

#include <Poco/Delegate.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include <memory>
#include <optional>

#include "http/framing.h"
#include "http/http_message.h"

namespace paymentd::http {
namespace {

// A fresh response on the session, as Poco answers its own errors, and the connection closes.
void refuse(Poco::Net::HTTPServerSession& session, Poco::Net::HTTPResponse::HTTPStatus status,
            const std::string& body) {
  Poco::Net::HTTPServerResponseImpl response(session);
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  response.setStatusAndReason(status);
  response.setKeepAlive(false);
  if (!body.empty()) response.setContentType("application/json");
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  response.send() << body;  // not sendBuffer: without a request it writes no body
  session.setKeepAlive(false);
}

void refuseFraming(Poco::Net::HTTPServerSession& session, const std::string& problem) {
  refuse(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST,
         errorResponse(400, "BAD_FRAMING", problem).body);
}

}  // namespace

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket,
                               Poco::Net::HTTPServerParams::Ptr params,
                               Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                               std::shared_ptr<StopEvent> stop)
    : TCPServerConnection(socket),
      params_(std::move(params)),
      factory_(std::move(factory)),
      stop_(std::move(stop)) {
  *stop_ += Poco::delegate(this, &HttpConnection::onServerStopped);
}

HttpConnection::~HttpConnection() {
  try {
    *stop_ -= Poco::delegate(this, &HttpConnection::onServerStopped);
  } catch (...) {
    // a destructor must not throw; the event outlives no connection anyway
  }
}

void HttpConnection::run() {
  const std::string server = params_->getSoftwareVersion();
  Poco::Net::HTTPServerSession session(socket(), params_);
  while (!stopped_ && session.hasMoreRequests()) {
    try {
      Poco::FastMutex::ScopedLock lock(mutex_);
      if (stopped_) break;
      Poco::Net::HTTPServerResponseImpl response(session);
      std::optional<Poco::Net::HTTPServerRequestImpl> request;
      try {
        request.emplace(response, session, params_.get());
      } catch (const Poco::SyntaxException&) {
        // Only the Content-Length is parsed after the header is read.
        refuseFraming(session, "Content-Length is not a number of bytes");
        break;
      }
      if (const auto problem = framingProblem(*request)) {
        refuseFraming(session, *problem);
        break;
      }
      response.setDate(Poco::Timestamp());
      response.setVersion(request->getVersion());
      response.setKeepAlive(params_->getKeepAlive() && request->getKeepAlive() &&
                            session.canKeepAlive());
      if (!server.empty()) response.set("Server", server);
      try {
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
            factory_->createRequestHandler(*request));
        if (request->getExpectContinue() &&
            response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
          response.sendContinue();
        }
        handler->handleRequest(*request, response);
        session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                             session.canKeepAlive());
      } catch (const Poco::Exception&) {
        if (!response.sent()) {
          try {
            refuse(session, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "");
          } catch (...) {
            // the client is gone; the rethrow below ends the connection
          }
        }
        throw;
      }
    } catch (const Poco::Net::NoMessageException&) {
      break;
    } catch (const Poco::Net::MessageException&) {
      refuse(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "");
    } catch (const Poco::Exception&) {
      if (session.networkException()) session.networkException()->rethrow();
      throw;
    }
  }
}

void HttpConnection::onServerStopped(const bool& abort_current) {
  stopped_ = true;
  if (abort_current) {
    try {
      socket().shutdown();
    } catch (...) {
      // already closed by the client
    }
    return;
  }
  Poco::FastMutex::ScopedLock lock(mutex_);
  try {
    socket().shutdown();
  } catch (...) {
    // already closed by the client
  }
}

}  // namespace paymentd::http
