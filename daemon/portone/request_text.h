// portone/request_text.h: the pieces of a PortOne request both API clients (V2 and V1)
// write the same way: a path segment and a JSON body.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace paymentd::portone {

/// `value` percent-encoded for one path segment (an id may hold any character).
std::string encodePathSegment(const std::string& value);

/// `object` as JSON text.
std::string jsonText(const Poco::JSON::Object& object);

}  // namespace paymentd::portone
