#include "storage/event_outbox.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <sstream>

#include "storage/outbox_insert.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

std::string rfc3339(Timestamp at) {
  const Poco::Timestamp stamp(
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count());
  return Poco::DateTimeFormatter::format(stamp, Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
}

Poco::JSON::Object::Ptr ordered() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

}  // namespace

std::vector<const char*> eventsOfUpdate(const Subscription& before,
                                        const SubscriptionUpdate& update) {
  std::vector<const char*> types;
  if (update.status && *update.status != before.status) {
    switch (*update.status) {
      case SubscriptionStatus::kPastDue:
        types.push_back(event_type::kSubscriptionPastDue);
        break;
      case SubscriptionStatus::kFailed:
        types.push_back(event_type::kSubscriptionFailed);
        break;
      case SubscriptionStatus::kCancelled:
        types.push_back(event_type::kSubscriptionCancelled);
        break;
      case SubscriptionStatus::kActive:
        break;  // back to ACTIVE by a paid renewal: its later period end tells it
    }
  }
  if (update.period_end && *update.period_end > before.period_end) {
    types.push_back(event_type::kSubscriptionRenewed);
  }
  if (update.billing_key && before.billing_key && *update.billing_key != *before.billing_key) {
    types.push_back(event_type::kSubscriptionCardChanged);
  }
  return types;
}

void EventOutbox::subscriptionChanged(const char* type, const Subscription& subscription,
                                      const std::optional<std::string>& payment_id) {
  if (!enabled_) return;
  Poco::JSON::Object::Ptr data = ordered();
  data->set("subscriptionId", static_cast<Poco::Int64>(subscription.id));
  data->set("userId", subscription.user_id);
  data->set("planId", subscription.plan_id);
  if (payment_id) data->set("paymentId", *payment_id);
  const std::string occasion = payment_id ? *payment_id : std::to_string(toMicros(clock_()));
  enqueue(type,
          std::string("event:") + type + ":sub-" + std::to_string(subscription.id) + ":" + occasion,
          data, payment_id);
}

void EventOutbox::paymentRefunded(const RefundedPayment& refund) {
  if (!enabled_) return;
  Poco::JSON::Object::Ptr data = ordered();
  data->set("paymentId", refund.payment_id);
  data->set("userId", refund.user_id);
  if (refund.subscription_id) {
    data->set("subscriptionId", static_cast<Poco::Int64>(*refund.subscription_id));
  }
  data->set("amount", static_cast<Poco::Int64>(refund.amount));
  data->set("currency", "KRW");
  enqueue(event_type::kPaymentRefunded,
          std::string("event:") + event_type::kPaymentRefunded + ":" + refund.payment_id + ":" +
              refund.occasion,
          data, refund.payment_id);
}

void EventOutbox::enqueue(const std::string& type, const std::string& dedupe_key,
                          const Poco::JSON::Object::Ptr& data,
                          const std::optional<std::string>& payment_id) {
  const Timestamp now = clock_();
  Poco::JSON::Object::Ptr body = ordered();
  body->set("type", type);
  body->set("timestamp", rfc3339(now));
  body->set("data", data);
  std::ostringstream text;
  body->stringify(text);
  insertOutboxItem(connection_, {kOutboxEvent, dedupe_key, text.str(), Timestamp{}}, payment_id,
                   now);
}

}  // namespace paymentd::storage
