#include "sandbox_control.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <thread>

namespace paymentd::testing {
namespace {

ControlAnswer exchange(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::string& body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  request.setContentType("application/json");
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  ControlAnswer answer;
  answer.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, answer.body);
  return answer;
}

}  // namespace

Poco::JSON::Object::Ptr ControlAnswer::json() const {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

SandboxControl::SandboxControl(sandbox::SandboxOptions options) : sandbox_(std::move(options)) {
  sandbox_.start();
}

ControlAnswer SandboxControl::post(const std::string& path, const std::string& json_body) {
  return exchange(sandbox_.port(), "POST", path, json_body);
}

ControlAnswer SandboxControl::get(const std::string& path) {
  return exchange(sandbox_.port(), "GET", path, "");
}

Poco::JSON::Array::Ptr SandboxControl::requests(const std::string& method,
                                                const std::string& path) {
  std::string encoded;
  Poco::URI::encode(path, "&=?#+", encoded);
  return get("/_sandbox/requests?method=" + method + "&path=" + encoded)
      .json()
      ->getArray("requests");
}

Poco::JSON::Array::Ptr SandboxControl::waitForDeliveries(std::size_t count,
                                                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto deliveries = get("/_sandbox/webhooks").json()->getArray("deliveries");
    if (deliveries->size() >= count || std::chrono::steady_clock::now() > deadline)
      return deliveries;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace paymentd::testing
