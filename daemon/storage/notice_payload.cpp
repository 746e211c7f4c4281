#include "storage/notice_payload.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace paymentd::storage {

std::string noticePayload(const NoticeRequest& notice) {
  Poco::JSON::Object fields;
  for (const auto& [key, value] : notice.fields) fields.set(key, value);
  Poco::JSON::Object payload;
  payload.set("channel", notice.channel);
  payload.set("template", notice.template_code);
  payload.set("user_id", notice.user_id);
  payload.set("payment_id", notice.payment_id);
  payload.set("fields", fields);
  if (notice.recipient_subscription_id > 0) {
    payload.set("recipient_subscription_id", Poco::Int64{notice.recipient_subscription_id});
  }
  std::ostringstream out;
  payload.stringify(out);
  return out.str();
}

NoticeRequest parseNoticePayload(const std::string& payload) {
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
    NoticeRequest notice;
    notice.channel = root->getValue<std::string>("channel");
    notice.template_code = root->getValue<std::string>("template");
    notice.user_id = root->optValue<std::string>("user_id", "");
    notice.payment_id = root->optValue<std::string>("payment_id", "");
    if (auto fields = root->getObject("fields")) {
      for (const auto& [key, value] : *fields) notice.fields[key] = value.toString();
    }
    notice.recipient_subscription_id = root->optValue<Poco::Int64>("recipient_subscription_id", 0);
    return notice;
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument(e.displayText());
  }
}

}  // namespace paymentd::storage
