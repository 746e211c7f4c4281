#include "outbox/notice_executor.h"

#include <Poco/JSON/Parser.h>

#include "loader/plugin_call.h"
#include "paymentd/notifier.h"
#include "storage/errors.h"
#include "storage/subscriber_phone.h"

namespace paymentd::outbox {

std::string paymentIdOf(const std::string& payload) {
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(payload).extract<Poco::JSON::Object::Ptr>();
    return root->optValue<std::string>("payment_id", "");
  } catch (const Poco::Exception&) {
    return "";
  }
}

Attempt NoticeExecutor::execute(const OutboxItem& item, Timestamp now) const {
  if (item.due_at != Timestamp{} && now > item.due_at + grace_) {
    return {Attempt::Result::kDropped, "late by more than the grace; not sent"};
  }
  Notification notification;
  std::int64_t recipient_subscription_id = 0;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(item.payload).extract<Poco::JSON::Object::Ptr>();
    notification.channel = root->getValue<std::string>("channel");
    notification.template_code = root->getValue<std::string>("template");
    notification.user_id = root->optValue<std::string>("user_id", "");
    notification.payment_id = root->optValue<std::string>("payment_id", "");
    if (auto fields = root->getObject("fields")) {
      for (const auto& [key, value] : *fields) notification.fields[key] = value.toString();
    }
    recipient_subscription_id = root->optValue<Poco::Int64>("recipient_subscription_id", 0);
  } catch (const Poco::Exception& e) {
    return {Attempt::Result::kDead, "bad notify payload: " + e.displayText()};
  }
  notification.dedupe_key = item.dedupe_key;

  const auto plugins = plugins_.current();
  const auto found = plugins->notifiers.find(notification.channel);
  if (found == plugins->notifiers.end()) {
    // A reload may add the channel; until then the item waits.
    return {Attempt::Result::kRetry, "no notifier for channel " + notification.channel};
  }
  std::string to;
  if (recipient_subscription_id > 0) {
    try {
      notification.recipient_phone = storage::subscriberPhone(database_, recipient_subscription_id);
    } catch (const storage::Error& e) {
      return {Attempt::Result::kRetry, std::string("recipient unreadable: ") + e.what()};
    }
    to = notification.recipient_phone ? " to " + maskPhone(*notification.recipient_phone)
                                      : " (no phone number stored for subscription " +
                                            std::to_string(recipient_subscription_id) + ")";
  }
  const Outcome outcome = loader::callPlugin(
      found->second.identity, [&] { return found->second.instance->send(notification); });
  const std::string detail =
      found->second.identity + " " + notification.template_code + to +
      (outcome.isOk() ? "" : " " + outcome.code() + ": " + outcome.message());
  if (outcome.isOk()) return {Attempt::Result::kDone, detail};
  if (outcome.isRejected()) return {Attempt::Result::kDead, detail};
  return {Attempt::Result::kRetry, detail};
}

}  // namespace paymentd::outbox
