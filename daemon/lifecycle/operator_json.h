// lifecycle/operator_json.h: the operator API's answers as JSON (docs/operators.md):
// ids as strings, amounts as integer KRW, times RFC 3339, never a billing key.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "lifecycle/operation_result.h"
#include "lifecycle/payment_refunds.h"
#include "lifecycle/subscription_view.h"
#include "lifecycle/user_lookup.h"

namespace paymentd::lifecycle {

Poco::Dynamic::Var optionalJson(const std::optional<std::string>& value);
std::string timeJson(Timestamp time);

Poco::JSON::Object::Ptr subscriptionJson(const SubscriptionView& view);
Poco::JSON::Object::Ptr userJson(const UserView& view);
Poco::JSON::Object::Ptr refundJson(const RefundView& view);

/// `{"data": data}`, the envelope of every successful answer.
std::string dataAnswer(const Poco::JSON::Object::Ptr& data);
/// `{"error": {"code", "message"}}`.
std::string errorAnswer(const std::string& code, const std::string& message);

/// The HTTP status a refusal is answered with: 400, 404, 409 or 503.
int httpStatusOf(Refusal::Kind kind);

}  // namespace paymentd::lifecycle
