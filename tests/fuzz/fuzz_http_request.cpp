// What a client sends before the body: the request line and the header fields,
// any bytes. Parsed as the server parses them (Poco's reader), then the framing
// rules (http/framing.h), the target's path and query (http/request_target.h)
// and the escaping every text log line applies to what a client sent
// (log/log_escape.h): never a crash, and no control byte reaches a log line.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/String.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "http/framing.h"
#include "http/http_message.h"
#include "http/request_target.h"
#include "log/log_escape.h"

namespace {

void mustBePrintable(const std::string& line) {
  for (const unsigned char c : line) {
    if (c < 0x20 || c == 0x7f) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  mustBePrintable(paymentd::log::escapeText(raw));
  std::istringstream stream(raw);
  Poco::Net::HTTPRequest request;
  try {
    request.read(stream);
  } catch (const Poco::Exception&) {
    return 0;  // refused by the reader: the connection answers 400
  }
  if (paymentd::http::framingProblem(request)) return 0;
  (void)paymentd::http::hasBody(request);
  paymentd::http::HttpRequest in;
  in.method = request.getMethod();
  for (const auto& [name, value] : request) in.headers.emplace(Poco::toLower(name), value);
  (void)in.singleHeader("webhook-id");
  mustBePrintable(paymentd::log::escapeText(request.getURI()));
  if (!paymentd::http::parseRequestTarget(request.getURI(), in)) return 0;
  (void)in.queryParam("user_id");
  mustBePrintable(paymentd::log::escapeText(in.path));
  return 0;
}
