#include "http_post.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace paymentd::notifiers {
namespace {

Poco::Net::Context::Ptr tlsContext() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                     Poco::Net::Context::VERIFY_RELAXED, 9, true);
  });
  return context;
}

}  // namespace

Outcome postJson(const HttpPost& post, const std::string& service) {
  try {
    const Poco::URI uri(post.url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                tlsContext());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(
        std::chrono::duration_cast<std::chrono::microseconds>(post.timeout).count()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    for (const auto& [name, value] : post.headers) request.set(name, value);
    request.setContentLength64(static_cast<Poco::Int64>(post.body.size()));
    session->sendRequest(request) << post.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    std::string answer;
    Poco::StreamCopier::copyToString(in, answer);
    const int status = response.getStatus();
    if (status >= 200 && status < 300) return Outcome::ok();
    // The answer's first line only: it may echo what we sent.
    const std::string shown = answer.substr(0, std::min<std::size_t>(answer.find('\n'), 200));
    const std::string message = service + " answered " + std::to_string(status) + ": " + shown;
    if (status == 429 || status >= 500) return Outcome::transient("NOTIFIER_UNAVAILABLE", message);
    return Outcome::rejected("NOTIFIER_REJECTED", message);
  } catch (const Poco::Exception& e) {
    return Outcome::transient("NOTIFIER_UNREACHABLE", service + ": " + e.displayText());
  }
}

}  // namespace paymentd::notifiers
