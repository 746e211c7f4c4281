// http/framing.h: the request framing rules of RFC 9112 (sections 5.1 and 6) the server
// enforces before a handler runs.
//
// A proxy in front and this server must agree where a request's body ends, or a request
// hidden in a body reaches us unseen by the proxy (request smuggling). Poco alone is lenient:
// the first of two Content-Lengths wins, "1,0" is 10, and "gzip, chunked" is read until EOF.
// So whatever two readers could frame differently is refused with 400.
#pragma once

#include <Poco/Net/HTTPRequest.h>

#include <optional>
#include <string>

namespace paymentd::http {

/// Why the request's framing is refused, or nothing when it is sound: a field name that is
/// not a token ("Content-Length :"); a Content-Length that is not digits, or repeated with
/// another value; Transfer-Encoding other than exactly one `chunked`, in HTTP/1.0, or
/// together with Content-Length.
std::optional<std::string> framingProblem(const Poco::Net::HTTPRequest& request);

/// Whether the request has a body to read: with neither Content-Length nor
/// Transfer-Encoding it has none (RFC 9112 6.3), whatever follows is the next request.
bool hasBody(const Poco::Net::HTTPRequest& request);

}  // namespace paymentd::http
