#include "outbox/notice_executor.h"

#include <Poco/JSON/Parser.h>

#include "loader/plugin_call.h"
#include "paymentd/notifier.h"
#include "storage/errors.h"
#include "storage/notice_payload.h"
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
  if (item.due_at != Timestamp{} && now > item.due_at + grace_.load()) {
    return {Attempt::Result::kDropped, "late by more than the grace; not sent"};
  }
  Notification notification;
  std::int64_t recipient_subscription_id = 0;
  try {
    const NoticeRequest notice = storage::parseNoticePayload(item.payload);
    notification.channel = notice.channel;
    notification.template_code = notice.template_code;
    notification.user_id = notice.user_id;
    notification.payment_id = notice.payment_id;
    notification.fields = notice.fields;
    recipient_subscription_id = notice.recipient_subscription_id;
  } catch (const std::invalid_argument& e) {
    return {Attempt::Result::kDead, std::string("bad notify payload: ") + e.what()};
  }
  notification.dedupe_key = item.dedupe_key;

  const auto plugins = plugins_.current();
  const auto found = plugins->notifiers.find(notification.channel);
  if (found == plugins->notifiers.end()) {
    // A reload may add the channel; until then the item waits.
    return {Attempt::Result::kRetry, "no notifier for channel " + notification.channel};
  }
  if (!found->second.enabled) {
    return {Attempt::Result::kDropped, "channel " + notification.channel + " is disabled"};
  }
  const auto& notifier = found->second.choose(notification.user_id);  // canary or primary
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
  const Outcome outcome =
      loader::callPlugin(notifier.identity, [&] { return notifier.instance->send(notification); });
  const std::string detail =
      notifier.identity + " " + notification.template_code + to +
      (outcome.isOk() ? "" : " " + outcome.code() + ": " + outcome.message());
  if (outcome.isOk()) return {Attempt::Result::kDone, detail};
  if (outcome.isRejected()) return {Attempt::Result::kDead, detail};
  return {Attempt::Result::kRetry, detail};
}

}  // namespace paymentd::outbox
