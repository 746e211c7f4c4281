// paymentd/notifier.h: delivers one notice (Slack, Kakao AlimTalk, SMS, ...).
//
// The host's outbox worker calls send() after the payment's transaction has
// committed, and again after a failure (with backoff) until it succeeds or the
// item is moved to dead. A notice may therefore be delivered twice; use
// `Notification::dedupe_key` where the channel can deduplicate.
// Called from the worker threads, possibly at once: keep no unguarded state.
#pragma once

#include <map>
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
};

class Notifier : public PluginInstance {
 public:
  /// @return ok when delivered; transient to retry later; rejected when it can
  ///         never be delivered (the item goes dead at once).
  virtual Outcome send(const Notification& notification) const = 0;
};

}  // namespace paymentd
