// outbox/event_executor.h: an `event` item (storage/event_outbox.h) -> a POST of
// its payload to `events.url`, signed as Standard Webhooks specifies: the
// `webhook-id` is the outbox item's id, the same on every retry so the
// receiver can drop copies; `webhook-timestamp` is the attempt's time;
// `webhook-signature` is "v1," + Base64(HMAC-SHA256(key, id.timestamp.body)).
// A 2xx is done; anything else, or no answer, is retried with the outbox's
// backoff until the item is dead. Without `events:` a pending event is dropped.
// Thread-safe; a reload swaps the target whole (apply()).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "clock/clock.h"
#include "config/config_problems.h"
#include "config/events_config.h"
#include "config/live.h"
#include "outbox/attempt.h"
#include "portone/api_transport.h"
#include "storage/outbox_queue.h"

namespace paymentd::outbox {

/// Where and how events are posted, read from `events:` and its secret file.
struct EventTarget {
  std::string url;
  std::string key;  // the HMAC key decoded from the whsec_ secret; never logged
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds read_timeout{5000};
  bool operator==(const EventTarget&) const = default;
};

/// `events:` read whole (its secret file too) and checked: nullopt when it is
/// absent or when a problem was reported at its key's file:line:column (a URL
/// that cannot be posted to, a secret file that is not a whsec_ secret).
/// The start, --check-config and a reload all read it here.
std::optional<EventTarget> readEventTarget(const std::optional<config::EventsConfig>& events,
                                           const Clock& clock, config::ConfigProblems& problems);

struct EventDelivery;  // a target made ready to post to

class EventExecutor {
 public:
  /// `target`: nullopt when events are not configured. @throws
  /// std::invalid_argument for a target readEventTarget() would not give.
  EventExecutor(const Clock& clock, std::optional<EventTarget> target);

  Attempt execute(const storage::OutboxRecord& record) const;

  /// A reload's target; attempts that start from now on use it.
  void apply(std::optional<EventTarget> target);
  /// Whether `target` is the one in use (a rotated secret under the same file name is not).
  bool uses(const std::optional<EventTarget>& target) const;

 private:
  const Clock& clock_;
  config::Live<EventDelivery> delivery_;  // a null pointer: no events configured
};

}  // namespace paymentd::outbox
