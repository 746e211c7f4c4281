#include "lifecycle/operator_json.h"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "portone/rfc3339.h"
#include "storage/subscription_status.h"

namespace paymentd::lifecycle {
namespace {

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace

Poco::Dynamic::Var optionalJson(const std::optional<std::string>& value) {
  return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

std::string timeJson(Timestamp time) {
  return portone::formatRfc3339(time);
}

Poco::JSON::Object::Ptr subscriptionJson(const SubscriptionView& view) {
  const storage::SubscriptionRecord& r = view.record;
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("id", std::to_string(r.id));
  json->set("userId", r.user_id);
  json->set("planId", r.plan_id);
  json->set("status", storage::subscriptionStatusName(r.status));
  json->set("periodStart", timeJson(r.period_start));
  json->set("periodEnd", timeJson(r.period_end));
  json->set("cancelAtPeriodEnd", r.cancel_at_period_end);
  // Why paymentd itself set the cancel at period end (BILLING_KEY_DELETED); null for an operator's.
  json->set("cancelReason", optionalJson(r.cancel_reason));
  json->set("cancelledAt",
            r.cancelled_at ? Poco::Dynamic::Var(timeJson(*r.cancelled_at)) : Poco::Dynamic::Var());
  json->set("failureCount", r.consecutive_failures);
  json->set("nextPaymentId", optionalJson(view.next_payment_id));
  json->set("nextChargeAt", view.next_charge_at ? Poco::Dynamic::Var(timeJson(*view.next_charge_at))
                                                : Poco::Dynamic::Var());
  json->set("cardLastDigits", optionalJson(r.card_last_digits));
  json->set("portoneVersion", std::string(storage::portOneVersionName(r.portone_version)));
  Poco::JSON::Array history;
  for (const auto& event : view.history) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("at", timeJson(event.at));
    item.set("action", event.action);
    item.set("actor", event.actor);
    item.set("reason", event.reason);
    item.set("detail", event.detail);
    history.add(item);
  }
  json->set("history", history);
  return json;
}

Poco::JSON::Object::Ptr userJson(const UserView& view) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("userId", view.user_id);
  Poco::JSON::Array subscriptions;
  for (const auto& s : view.subscriptions) subscriptions.add(subscriptionJson(s));
  json->set("subscriptions", subscriptions);
  Poco::JSON::Array payments;
  for (const auto& p : view.payments) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("paymentId", p.payment_id);
    item.set("status", p.status);
    item.set("paymentType", optionalJson(p.payment_type));
    item.set("amount", p.amount);
    item.set("reason", optionalJson(p.reason));
    item.set("refunded", p.refunded);
    item.set("refundedAmount", p.refunded_amount);
    item.set("cancelledAtPortOne", p.cancelled_at_portone);
    item.set("at", timeJson(p.at));
    payments.add(item);
  }
  json->set("payments", payments);
  return json;
}

Poco::JSON::Object::Ptr refundJson(const RefundView& view) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("paymentId", view.payment_id);
  json->set("refundedAmount", view.refunded_amount);
  json->set("cancellableAmount", view.cancellable_amount);
  return json;
}

std::string dataAnswer(const Poco::JSON::Object::Ptr& data) {
  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("data", data);
  return stringify(root);
}

std::string errorAnswer(const std::string& code, const std::string& message) {
  Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
  error.set("code", code);
  error.set("message", message);
  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("error", error);
  return stringify(root);
}

int httpStatusOf(Refusal::Kind kind) {
  switch (kind) {
    case Refusal::Kind::kInvalid:
      return 400;
    case Refusal::Kind::kNotFound:
      return 404;
    case Refusal::Kind::kConflict:
    case Refusal::Kind::kRefused:
      return 409;
    case Refusal::Kind::kUnavailable:
      return 503;
  }
  return 400;
}

}  // namespace paymentd::lifecycle
