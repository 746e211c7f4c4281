#include "portone/request_text.h"

#include <Poco/URI.h>

#include <sstream>

namespace paymentd::portone {

std::string encodePathSegment(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "/?#&=+;:@!$'()*,[]% ", out);
  return out;
}

std::string jsonText(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace paymentd::portone
