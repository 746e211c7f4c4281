// paymentd/notifier.h: delivers one notice (Slack, Kakao AlimTalk, SMS, ...).
//
// The host's outbox worker calls send() after the payment's transaction has
// committed, and again after a failure (with backoff) until it succeeds or the
// item is moved to dead. A notice may therefore be delivered twice; use
// `Notification::dedupe_key` where the channel can deduplicate.
// Called from the worker threads, possibly at once: keep no unguarded state.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "paymentd/outcome.h"
#include "paymentd/plugin_base.h"

namespace paymentd {

struct Notification {
  std::string channel;        // the name the YAML gives this notifier, e.g. "admin_slack"
  std::string template_code;  // e.g. PAYMENT_FAILED_RETRY, REFUNDED
  std::string user_id;        // may be empty for admin notices
  std::string payment_id;
  std::string dedupe_key;
  std::map<std::string, std::string> fields;  // template values; never card numbers
  /// The subscriber's mobile number, digits only (e.g. "01012345678"), for a
  /// notice addressed to a subscriber (NoticeRequest::recipient_subscription_id)
  /// whose payment carried PortOne's `customer.phoneNumber`. Empty for notices
  /// to operators, and when no number is stored. Personal data: send it to the
  /// channel and nowhere else; log it only through maskPhone(). (API 1.1)
  std::optional<std::string> recipient_phone;
};

/// "010****5678": a phone number fit for a log line or a trace. Keeps the
/// first three and last four digits of a number of at least nine digits;
/// anything shorter is masked whole.
inline std::string maskPhone(const std::string& phone) {
  if (phone.size() < 9) return std::string(phone.size(), '*');
  return phone.substr(0, 3) + std::string(phone.size() - 7, '*') + phone.substr(phone.size() - 4);
}

class Notifier : public PluginInstance {
 public:
  /// @return ok when delivered; transient to retry later; rejected when it can
  ///         never be delivered (the item goes dead at once).
  virtual Outcome send(const Notification& notification) const = 0;
};

}  // namespace paymentd
