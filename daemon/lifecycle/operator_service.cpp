#include "lifecycle/operator_service.h"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include "lifecycle/operator_json.h"
#include "lifecycle/payment_story.h"
#include "lifecycle/user_lookup.h"
#include "portone/json_integer.h"
#include "storage/errors.h"
#include "storage/operator_requests.h"

namespace paymentd::lifecycle {
namespace {

constexpr std::size_t kMaxKey = 255;
constexpr std::size_t kMaxReason = 500;

OperatorReply failure(int status, const std::string& code, const std::string& message) {
  return {status, errorAnswer(code, message)};
}

template <typename T, typename Render>
OperatorReply answer(const OperationResult<T>& result, Render&& render) {
  if (!result.ok()) {
    const Refusal& r = result.refusal();
    return failure(httpStatusOf(r.kind), r.code, r.message);
  }
  return {200, dataAnswer(render(result.value()))};
}

OperatorReply subscriptionAnswer(const OperationResult<SubscriptionView>& result) {
  return answer(result, [](const SubscriptionView& view) {
    Poco::JSON::Object::Ptr data = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    data->set("subscription", subscriptionJson(view));
    return data;
  });
}

std::optional<std::int64_t> subscriptionId(const std::string& target) {
  if (target.empty() || target.size() > 18) return std::nullopt;
  std::int64_t id = 0;
  for (char c : target) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id > 0 ? std::optional<std::int64_t>(id) : std::nullopt;
}

bool visibleAscii(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// What was asked, hashed: the same call again has the same fingerprint, and
// no billing key is kept in the clear.
std::string fingerprint(const OperatorCall& call) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  const auto field = [&](const std::string& text) {
    sha.update(std::to_string(text.size()) + ":" + text + ";");
  };
  field(std::to_string(static_cast<int>(call.operation)));
  field(call.target);
  field(call.at.value_or("-"));
  field(call.billing_key.value_or("-"));
  field(call.amount ? std::to_string(*call.amount) : "-");
  field(call.reason);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

}  // namespace

bool isWrite(Operation operation) {
  return operation != Operation::kShowUser && operation != Operation::kShowPayment &&
         operation != Operation::kShowSubscription;
}

OperatorService::OperatorService(LifecycleParts parts, lock::PaymentLock& lock,
                                 std::chrono::milliseconds lock_ttl)
    : parts_(parts), subscriptions_(parts), refunds_(parts, lock, lock_ttl) {}

OperatorReply OperatorService::handle(const OperatorCall& call) const {
  try {
    return isWrite(call.operation) ? write(call) : read(call);
  } catch (const storage::Transient& e) {
    return failure(503, "DATABASE_UNAVAILABLE", e.what());
  }
}

OperatorReply OperatorService::read(const OperatorCall& call) const {
  switch (call.operation) {
    case Operation::kShowUser:
      return answer(lookUpUser(parts_.database, call.target),
                    [](const UserView& view) { return userJson(view); });
    case Operation::kShowPayment: {
      const auto story = readPaymentStory(parts_.database, call.target);
      if (!story) {
        return failure(404, "PAYMENT_NOT_FOUND", "nothing is recorded for payment " + call.target);
      }
      return {200, dataAnswer(storyJson(*story))};
    }
    case Operation::kShowSubscription: {
      const auto id = subscriptionId(call.target);
      if (!id) return failure(404, "SUBSCRIPTION_NOT_FOUND", "no subscription " + call.target);
      return subscriptionAnswer(subscriptions_.show(*id));
    }
    default:
      return failure(400, "NOT_A_READ", "not a read");
  }
}

OperatorReply OperatorService::write(const OperatorCall& call) const {
  if (call.idempotency_key.empty() || call.idempotency_key.size() > kMaxKey ||
      !visibleAscii(call.idempotency_key)) {
    return failure(400, "IDEMPOTENCY_KEY_REQUIRED",
                   "a write needs an Idempotency-Key of 1-255 visible ASCII characters");
  }
  if (call.actor.empty()) {
    return failure(400, "ACTOR_REQUIRED", "a write needs an actor (X-Actor): who asks");
  }
  if (call.reason.empty() || call.reason.size() > kMaxReason) {
    return failure(400, "REASON_REQUIRED", "a write needs a reason of at most 500 characters");
  }
  const std::string asked = fingerprint(call);
  if (const auto kept = storage::findOperatorAnswer(parts_.database, call.idempotency_key)) {
    if (kept->fingerprint != asked) {
      return failure(422, "IDEMPOTENCY_KEY_REUSED",
                     "this Idempotency-Key was used for another request");
    }
    return {kept->status, kept->body};
  }
  const Audit audit{call.actor, call.reason};
  OperatorReply reply;
  if (call.operation == Operation::kRefund) {
    reply = answer(refunds_.refund(call.target, call.amount, call.idempotency_key, audit),
                   [](const RefundView& view) { return refundJson(view); });
  } else {
    const auto id = subscriptionId(call.target);
    if (!id) return failure(404, "SUBSCRIPTION_NOT_FOUND", "no subscription " + call.target);
    switch (call.operation) {
      case Operation::kCancel: {
        const std::string at = call.at.value_or("period_end");
        if (at != "period_end" && at != "now") {
          return failure(400, "INVALID_AT", "at is \"period_end\" or \"now\"");
        }
        reply = subscriptionAnswer(
            subscriptions_.cancel(*id, at == "now" ? CancelAt::kNow : CancelAt::kPeriodEnd, audit));
        break;
      }
      case Operation::kResume:
        reply = subscriptionAnswer(subscriptions_.resume(*id, audit));
        break;
      case Operation::kChangeCard:
        reply = subscriptionAnswer(
            subscriptions_.changeCard(*id, call.billing_key.value_or(""), audit));
        break;
      case Operation::kRetry:
        reply = subscriptionAnswer(subscriptions_.retryNow(*id, audit));
        break;
      default:
        return failure(400, "NOT_A_WRITE", "not a write");
    }
  }
  if (reply.status == 503) return reply;  // "try again" is not an answer to keep
  const storage::OperatorAnswer kept = storage::keepOperatorAnswer(
      parts_.database, call.idempotency_key, {asked, reply.status, reply.body}, call.actor);
  return {kept.status, kept.body};
}

std::optional<OperatorReply> readOperatorBody(const std::string& body, OperatorCall& call) {
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object =
        parser.parse(body.empty() ? std::string("{}") : body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return failure(400, "MALFORMED_JSON", "the body is not a JSON object");
  }
  if (!object) return failure(400, "MALFORMED_JSON", "the body is not a JSON object");
  const auto text = [&](const char* name, std::optional<std::string>& into) -> bool {
    if (!object->has(name) || object->isNull(name)) return true;
    const Poco::Dynamic::Var value = object->get(name);
    if (!value.isString()) return false;
    into = value.extract<std::string>();
    return true;
  };
  std::optional<std::string> reason;
  if (!text("reason", reason) || !text("at", call.at) || !text("billingKey", call.billing_key)) {
    return failure(400, "INVALID_FIELD", "reason, at and billingKey are strings");
  }
  call.reason = reason.value_or("");
  if (object->has("amount") && !object->isNull("amount")) {
    call.amount = portone::exactInteger(object->get("amount"));
    if (!call.amount) return failure(400, "INVALID_FIELD", "amount is an integer (KRW)");
  }
  return std::nullopt;
}

}  // namespace paymentd::lifecycle
