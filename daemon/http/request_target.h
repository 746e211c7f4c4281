// http/request_target.h: a request target ("/path?a=1&b=%20") as route
// handlers see it: the path, and the query parameters decoded, in order.
#pragma once

#include <string>

#include "http/http_message.h"

namespace paymentd::http {

/// Fills `request.path` and `request.query`; false when the target does not
/// parse (a malformed %-escape): the client's fault, answered 400 before any
/// route sees it.
bool parseRequestTarget(const std::string& target, HttpRequest& request);

}  // namespace paymentd::http
