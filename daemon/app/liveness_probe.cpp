#include "app/liveness_probe.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <istream>

namespace paymentd::app {

bool healthzAnswers(const std::string& host, std::uint16_t port,
                    std::chrono::milliseconds timeout) {
  std::string target = host;
  if (target == "0.0.0.0" || target.empty()) target = "127.0.0.1";
  if (target == "::") target = "::1";
  try {
    Poco::Net::HTTPClientSession session(target, port);
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000),
                                      static_cast<long>((timeout.count() % 1000) * 1000)));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/healthz",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Connection", "close");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    body.ignore(4096);
    return response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK;
  } catch (const Poco::Exception&) {
    return false;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace paymentd::app
