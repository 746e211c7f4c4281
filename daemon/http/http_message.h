// http/http_message.h: the request and response values route handlers work with.
//
// Handlers get the raw body bytes (signatures are computed over them, never
// over re-serialized JSON) and return a value; the server does the socket work.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paymentd::http {

struct HttpRequest {
  std::string method;
  std::string path;                                        // without the query string
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::multimap<std::string, std::string> headers;         // names lower-cased
  std::string body;
  std::string remote_address;

  /// The header's value when it appears exactly once; a repeated header is
  /// treated as missing, so an attacker cannot smuggle a second value.
  std::optional<std::string> singleHeader(const std::string& lower_name) const;
  /// The query parameter's first value, if present.
  std::optional<std::string> queryParam(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Close the connection without answering (the PortOne sandbox's fault
  // injection; the daemon never sets it).
  bool drop_connection = false;
};

/// `{"error": {"code": CODE, "message": MESSAGE}}` with the given status.
HttpResponse errorResponse(int status, const std::string& code, const std::string& message);
/// A JSON body that is already serialized.
HttpResponse jsonResponse(int status, std::string body);

}  // namespace paymentd::http
