#include "portone/v1_webhook.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <map>

#include "portone/payment_id.h"

namespace paymentd::portone {
namespace {

using Fields = std::map<std::string, std::string>;

std::optional<Fields> jsonFields(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    const auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (!object) return std::nullopt;
    Fields fields;
    for (const char* key : {"imp_uid", "merchant_uid", "status"}) {
      if (object->has(key) && object->get(key).isString()) {
        fields[key] = object->getValue<std::string>(key);
      }
    }
    return fields;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

// application/x-www-form-urlencoded: name=value pairs joined by '&', '+' for a space.
std::optional<Fields> formFields(const std::string& body) {
  Fields fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t end = std::min(body.find('&', start), body.size());
    std::string pair = body.substr(start, end - start);
    for (char& c : pair) {
      if (c == '+') c = ' ';
    }
    const std::size_t equals = pair.find('=');
    if (equals != std::string::npos) {
      std::string name;
      std::string value;
      try {
        Poco::URI::decode(pair.substr(0, equals), name);
        Poco::URI::decode(pair.substr(equals + 1), value);
      } catch (const Poco::Exception&) {
        return std::nullopt;
      }
      fields.emplace(name, value);
    }
    start = end + 1;
  }
  return fields;
}

}  // namespace

std::optional<V1Webhook> parseV1Webhook(const std::string& body) {
  const bool json = body.find_first_not_of(" \t\r\n") != std::string::npos &&
                    body[body.find_first_not_of(" \t\r\n")] == '{';
  const std::optional<Fields> fields = json ? jsonFields(body) : formFields(body);
  if (!fields) return std::nullopt;
  const auto field = [&](const char* name) {
    const auto it = fields->find(name);
    return it == fields->end() ? std::string() : it->second;
  };
  V1Webhook webhook{field("imp_uid"), field("merchant_uid"), field("status")};
  if (!isPaymentId(webhook.imp_uid) || !isPaymentId(webhook.merchant_uid)) return std::nullopt;
  return webhook;
}

}  // namespace paymentd::portone
