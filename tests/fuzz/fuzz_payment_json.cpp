// PortOne's answer to GET /payments/{id}, as the V2 client reads it: any bytes
// PortOne (or whatever answers in its place) sends. Either a payment or the
// client's TransientError (kBadResponse); never a crash.
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "portone/api_error.h"
#include "portone/payment_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return 0;  // not a JSON object: the transport refuses it before this parser
  }
  if (object.isNull()) return 0;
  try {
    const auto payment = paymentd::portone::paymentFromJson(*object);
    (void)paymentd::portone::normalizedPhone(payment.customer_phone.value_or(""));
  } catch (const paymentd::portone::TransientError&) {
  }
  return 0;
}
