#include "http/http_message.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace paymentd::http {

std::optional<std::string> HttpRequest::singleHeader(const std::string& lower_name) const {
  if (headers.count(lower_name) != 1) return std::nullopt;
  return headers.find(lower_name)->second;
}

std::optional<std::string> HttpRequest::queryParam(const std::string& name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

HttpResponse errorResponse(int status, const std::string& code, const std::string& message) {
  Poco::JSON::Object error;
  error.set("code", code);
  error.set("message", message);
  Poco::JSON::Object root;
  root.set("error", error);
  std::ostringstream out;
  root.stringify(out);
  return jsonResponse(status, out.str());
}

HttpResponse jsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace paymentd::http
