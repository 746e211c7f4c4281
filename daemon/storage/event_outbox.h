// storage/event_outbox.h: the events paymentd posts to the surrounding
// application (docs/events.md). Each change to a subscription, and each
// finished refund, enqueues its event as an outbox item of kind "event" inside
// the transaction that makes the change: a rolled-back change sends none. The
// item's payload is the body the outbox worker posts, fixed when enqueued:
// {"type", "timestamp", "data"} with ids and amounts only, never card data or
// phone numbers.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/store.h"
#include "storage/connection.h"
#include "storage/database.h"

namespace paymentd::storage {

inline constexpr const char* kOutboxEvent = "event";

namespace event_type {
inline constexpr const char* kSubscriptionCreated = "subscription.created";
inline constexpr const char* kSubscriptionRenewed = "subscription.renewed";
inline constexpr const char* kSubscriptionPastDue = "subscription.past_due";
inline constexpr const char* kSubscriptionFailed = "subscription.failed";
inline constexpr const char* kSubscriptionCancelled = "subscription.cancelled";
inline constexpr const char* kSubscriptionResumed = "subscription.resumed";
inline constexpr const char* kSubscriptionCardChanged = "subscription.card_changed";
inline constexpr const char* kPaymentRefunded = "payment.refunded";
}  // namespace event_type

/// A refund that finished: by paymentd itself, by an operator, or at PortOne.
struct RefundedPayment {
  std::string payment_id;
  std::string user_id;
  std::optional<std::int64_t> subscription_id;
  std::int64_t amount = 0;  // given back by this refund, KRW
  /// Tells this refund apart from the payment's others (an operator request's
  /// key, "auto", or PortOne's cancelled total): one event per refund.
  std::string occasion;
};

/// The subscription events `update` makes of `before` (a plugin's
/// StoreWriter::updateSubscription): a new status PAST_DUE, FAILED or
/// CANCELLED; a later period end (renewed); another billing key (card changed).
std::vector<const char*> eventsOfUpdate(const Subscription& before,
                                        const SubscriptionUpdate& update);

class EventOutbox {
 public:
  /// `enabled`: whether `events:` is configured (Database::eventsEnabled());
  /// when it is not, nothing is enqueued.
  EventOutbox(Connection& connection, Clock clock, bool enabled)
      : connection_(connection), clock_(std::move(clock)), enabled_(enabled) {}

  bool enabled() const { return enabled_; }

  /// `type`: one of event_type's subscription types. `payment_id`: the
  /// payment that made the change, if one did; it also tells two events of one
  /// type for one subscription apart (else the time does).
  void subscriptionChanged(const char* type, const Subscription& subscription,
                           const std::optional<std::string>& payment_id);
  void paymentRefunded(const RefundedPayment& refund);

 private:
  void enqueue(const std::string& type, const std::string& dedupe_key,
               const Poco::JSON::Object::Ptr& data, const std::optional<std::string>& payment_id);

  Connection& connection_;
  Clock clock_;
  bool enabled_;
};

}  // namespace paymentd::storage
