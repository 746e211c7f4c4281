// What a client sends before the body: the request line and the header fields,
// any bytes. Parsed as the server parses them (Beast's request parser), then the framing
// rules (http/framing.h), the target's path and query (http/request_target.h)
// and the escaping every text log line applies to what a client sent
// (log/log_escape.h): never a crash, and no control byte reaches a log line.
#include <Poco/String.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
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
  boost::beast::http::request_parser<boost::beast::http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(false);
  boost::system::error_code error;
  std::size_t used = 0;
  while (!error && !parser.is_header_done() && used < raw.size()) {
    const std::size_t n =
        parser.put(boost::asio::buffer(raw.data() + used, raw.size() - used), error);
    if (n == 0) break;  // needs more bytes than the input has
    used += n;
  }
  if (error || !parser.is_header_done()) return 0;  // refused or cut short: 400 or a deadline
  paymentd::http::HeaderFields fields;
  for (const auto& field : parser.get()) {
    fields.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  if (paymentd::http::framingProblem(fields, parser.get().version() == 10)) return 0;
  paymentd::http::HttpRequest in;
  in.method = std::string(parser.get().method_string());
  for (const auto& [name, value] : fields) in.headers.emplace(Poco::toLower(name), value);
  (void)in.singleHeader("webhook-id");
  const std::string target(parser.get().target());
  mustBePrintable(paymentd::log::escapeText(target));
  if (!paymentd::http::parseRequestTarget(target, in)) return 0;
  (void)in.queryParam("user_id");
  mustBePrintable(paymentd::log::escapeText(in.path));
  return 0;
}
