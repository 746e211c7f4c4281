#include "storage/schedule_payload.h"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace paymentd::storage {

std::string scheduleDedupeKey(const std::string& payment_id) {
  return "schedule:" + payment_id;
}

std::string revokeDedupeKey(const std::string& payment_id) {
  return "revoke:" + payment_id;
}

std::string schedulePayload(const std::string& payment_id) {
  Poco::JSON::Object payload;
  payload.set("payment_id", payment_id);
  std::ostringstream out;
  payload.stringify(out);
  return out.str();
}

std::optional<std::string> schedulePaymentIdOf(const std::string& payload) {
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
    const auto id = root->optValue<std::string>("payment_id", "");
    if (id.empty()) return std::nullopt;
    return id;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

SchedulePaymentRequest parseSchedulePayload(const std::string& payload) {
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
    SchedulePaymentRequest request;
    request.subscription_id = root->getValue<Poco::Int64>("subscription_id");
    request.cycle = root->getValue<int>("cycle");
    request.attempt = root->getValue<int>("attempt");
    request.user_id = root->getValue<std::string>("user_id");
    request.plan_id = root->getValue<std::string>("plan_id");
    request.payment_type = root->getValue<std::string>("payment_type");
    request.billing_key = root->getValue<std::string>("billing_key");
    request.amount = root->getValue<Poco::Int64>("amount");
    request.currency = root->getValue<std::string>("currency");
    request.order_name = root->getValue<std::string>("order_name");
    request.time_to_pay = Timestamp(std::chrono::duration_cast<Timestamp::duration>(
        std::chrono::microseconds(root->getValue<Poco::Int64>("time_to_pay_us"))));
    const std::string payment_id = root->getValue<std::string>("payment_id");
    if (payment_id != scheduledPaymentId(request.subscription_id, request.cycle, request.attempt)) {
      throw std::invalid_argument("payment_id " + payment_id +
                                  " does not match its subscription, cycle and attempt");
    }
    return request;
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument(e.displayText());
  }
}

}  // namespace paymentd::storage
