// http/framing.h: the request framing rules of RFC 9112 (sections 5.1 and 6) the server
// enforces before a handler runs.
//
// A proxy in front and this server must agree where a request's body ends, or a request
// hidden in a body reaches us unseen by the proxy (request smuggling). Beast's parser is
// lenient where RFC 9112 lets a recipient be: "5, 5" is 5, "gzip, chunked" is chunked,
// "identity" is ignored, HTTP/1.0 may be chunked. So whatever two readers could frame
// differently is refused with 400, from the header fields as they arrived.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paymentd::http {

/// A request's header fields in arrival order, names as sent.
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

/// Why the request's framing is refused, or nothing when it is sound: a field name that is
/// not a token; a Content-Length that is not digits, or repeated with another value;
/// Transfer-Encoding other than exactly one `chunked`, in HTTP/1.0, or together with
/// Content-Length.
std::optional<std::string> framingProblem(const HeaderFields& fields, bool http_1_0);

}  // namespace paymentd::http
