#include "portone/v1_json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <chrono>

#include "portone/json_integer.h"
#include "portone/payment_json.h"

namespace paymentd::portone {
namespace {

using Poco::JSON::Object;

TransientError unreadable(const std::string& what) {
  return TransientError(TransientError::Kind::kBadResponse, 200, "PortOne V1's answer " + what);
}

Object::Ptr parseEnvelope(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(body).extract<Object::Ptr>();
    if (object) return object;
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

std::string text(const Object& object, const std::string& key) {
  if (!object.has(key) || object.isNull(key)) return "";
  const Poco::Dynamic::Var value = object.get(key);
  return value.isString() ? value.extract<std::string>() : "";
}

PaymentStatus statusOf(const std::string& name, std::int64_t cancelled) {
  // V1 keeps a partly cancelled payment "paid", with its cancel_amount.
  if (name == "paid")
    return cancelled > 0 ? PaymentStatus::kPartialCancelled : PaymentStatus::kPaid;
  if (name == "cancelled") return PaymentStatus::kCancelled;
  if (name == "ready") return PaymentStatus::kReady;
  if (name == "failed") return PaymentStatus::kFailed;
  return PaymentStatus::kUnrecognized;
}

std::optional<PaymentMethodType> methodOf(const std::string& pay_method) {
  if (pay_method.empty()) return std::nullopt;
  if (pay_method == "card") return PaymentMethodType::kCard;
  if (pay_method == "trans") return PaymentMethodType::kTransfer;
  if (pay_method == "vbank") return PaymentMethodType::kVirtualAccount;
  if (pay_method == "phone") return PaymentMethodType::kMobile;
  return PaymentMethodType::kUnrecognized;
}

std::optional<Timestamp> unixTime(const Object& object, const std::string& key) {
  const std::int64_t seconds = v1Integer(object, key);
  if (seconds == 0) return std::nullopt;  // V1's "not yet"
  return Timestamp(std::chrono::seconds(seconds));
}

}  // namespace

ApiError v1ErrorFromBody(int status, const std::string& body) {
  const Object::Ptr envelope = parseEnvelope(body);
  const std::string message =
      envelope ? text(*envelope, "message") : std::string("error body is not JSON");
  if (status == 401) return ApiError(status, kV1Unauthorized, message);
  if (status == 404) return ApiError(status, kV1NotFound, message);
  return ApiError(status, kV1Refused, message);
}

Poco::Dynamic::Var v1Response(const std::string& body) {
  const Object::Ptr envelope = parseEnvelope(body);
  if (!envelope || !envelope->has("code")) throw unreadable("is not a V1 envelope");
  const auto code = exactInteger(envelope->get("code"));
  if (!code) throw unreadable("has a code that is not an integer");
  if (*code != 0) {
    throw ApiError(200, kV1Refused,
                   "code " + std::to_string(*code) + ": " + text(*envelope, "message"));
  }
  return envelope->get("response");
}

Object::Ptr v1Object(const Poco::Dynamic::Var& response) {
  try {
    if (auto object = response.extract<Object::Ptr>()) return object;
  } catch (const Poco::Exception&) {
  }
  throw unreadable("has no response object");
}

std::int64_t v1Integer(const Object& object, const std::string& key) {
  if (!object.has(key) || object.isNull(key)) return 0;
  const auto value = exactInteger(object.get(key));
  if (!value || *value < 0) {
    throw unreadable("has a '" + key + "' that is not a whole, non-negative number");
  }
  return *value;
}

core::FetchedPayment v1PaymentFromJson(const Object& object) {
  core::FetchedPayment payment;
  payment.transaction_id = text(object, "imp_uid");
  payment.id = text(object, "merchant_uid");
  const std::string status = text(object, "status");
  if (payment.transaction_id.empty() || payment.id.empty() || status.empty()) {
    throw unreadable("has a payment without imp_uid, merchant_uid or status");
  }
  payment.amount.total = v1Integer(object, "amount");
  payment.amount.cancelled = v1Integer(object, "cancel_amount");
  if (payment.amount.cancelled > payment.amount.total) {
    throw unreadable("cancels more than the payment's amount");
  }
  payment.status = statusOf(status, payment.amount.cancelled);
  // V1's amount is what was charged; only a paid (or since cancelled) payment paid it.
  if (status == "paid" || status == "cancelled") payment.amount.paid = payment.amount.total;
  payment.currency = text(object, "currency");
  payment.method = methodOf(text(object, "pay_method"));
  if (payment.method == PaymentMethodType::kCard) {
    CardFacts card;
    const std::int64_t card_type = v1Integer(object, "card_type");
    card.type = card_type == 0 ? "CREDIT" : card_type == 1 ? "DEBIT" : "";
    payment.card = card;
  }
  if (auto key = text(object, "customer_uid"); !key.empty()) payment.billing_key = key;
  // A scheduled V1 payment is identified by its merchant_uid: that is its schedule.
  if (text(object, "customer_uid_usage") == "payment.scheduled") payment.schedule_id = payment.id;
  // GET /payments/{imp_uid} leaves test-channel payments out unless asked for them.
  payment.live = true;
  payment.order_name = text(object, "name");
  payment.paid_at = unixTime(object, "paid_at");
  if (payment.status == PaymentStatus::kFailed)
    payment.failure_reason = text(object, "fail_reason");
  payment.customer_phone = normalizedPhone(text(object, "buyer_tel"));
  return payment;
}

std::int64_t v1CancellableAmount(const core::FetchedPayment& payment) {
  return payment.amount.paid - payment.amount.cancelled;
}

}  // namespace paymentd::portone
