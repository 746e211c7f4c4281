#include "portone/payment_json.h"

#include <array>
#include <utility>

#include "portone/api_error.h"
#include "portone/json_integer.h"
#include "portone/rfc3339.h"

namespace paymentd::portone {
namespace {

using Poco::JSON::Object;

std::optional<std::string> text(const Object& object, const std::string& key) {
  if (!object.has(key)) return std::nullopt;
  const auto value = object.get(key);
  if (value.isEmpty() || !value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

Object::Ptr child(const Object& object, const std::string& key) {
  return object.has(key) ? object.getObject(key) : nullptr;
}

std::optional<CardFacts> cardFacts(const Object& method) {
  Object::Ptr card = child(method, "card");
  if (!card) return CardFacts{};
  return CardFacts{text(*card, "brand").value_or(""), text(*card, "type").value_or("")};
}

// `card.number` of a BillingKeyPaymentMethodCard, directly or behind an easy pay.
std::optional<std::string> maskedCardNumber(const Object& method) {
  const auto type = text(method, "type");
  if (type == "BillingKeyPaymentMethodEasyPay") {
    Object::Ptr inner = child(method, "method");
    return inner ? maskedCardNumber(*inner) : std::nullopt;
  }
  if (type != "BillingKeyPaymentMethodCard") return std::nullopt;
  Object::Ptr card = child(method, "card");
  return card ? text(*card, "number") : std::nullopt;
}

}  // namespace

std::int64_t amountInWon(const Object& object, const std::string& key) {
  if (!object.has(key) || object.isNull(key)) return 0;
  const auto amount = exactInteger(object.get(key));
  if (!amount || *amount < 0) {
    throw TransientError(TransientError::Kind::kBadResponse, 200,
                         "PortOne's amount " + key + " is not a whole number of won");
  }
  return *amount;
}

PaymentStatus paymentStatusFromName(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, PaymentStatus>, 7> kStatuses = {{
      {"READY", PaymentStatus::kReady},
      {"PAY_PENDING", PaymentStatus::kPayPending},
      {"VIRTUAL_ACCOUNT_ISSUED", PaymentStatus::kVirtualAccountIssued},
      {"PAID", PaymentStatus::kPaid},
      {"FAILED", PaymentStatus::kFailed},
      {"PARTIAL_CANCELLED", PaymentStatus::kPartialCancelled},
      {"CANCELLED", PaymentStatus::kCancelled},
  }};
  for (const auto& [known, status] : kStatuses) {
    if (known == name) return status;
  }
  return PaymentStatus::kUnrecognized;
}

PaymentMethodType paymentMethodTypeFromName(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, PaymentMethodType>, 8> kTypes = {{
      {"PaymentMethodCard", PaymentMethodType::kCard},
      {"PaymentMethodTransfer", PaymentMethodType::kTransfer},
      {"PaymentMethodVirtualAccount", PaymentMethodType::kVirtualAccount},
      {"PaymentMethodEasyPay", PaymentMethodType::kEasyPay},
      {"PaymentMethodMobile", PaymentMethodType::kMobile},
      {"PaymentMethodGiftCertificate", PaymentMethodType::kGiftCertificate},
      {"PaymentMethodConvenienceStore", PaymentMethodType::kConvenienceStore},
      {"PaymentMethodCrypto", PaymentMethodType::kCrypto},
  }};
  for (const auto& [known, type] : kTypes) {
    if (known == name) return type;
  }
  return PaymentMethodType::kUnrecognized;
}

std::optional<std::string> normalizedPhone(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits += c;
  }
  const auto plus = text.find_first_not_of(" \t");
  if (plus != std::string_view::npos && text[plus] == '+') {
    if (digits.rfind("82", 0) != 0) return std::nullopt;  // a foreign number: no Korean SMS
    digits = digits.substr(2);
    if (digits.empty() || digits[0] != '0') digits = std::string("0") + digits;
  }
  if (digits.size() < 9 || digits.size() > 11 || digits[0] != '0') return std::nullopt;
  return digits;
}

FetchedPayment paymentFromJson(const Object& object) {
  FetchedPayment payment;
  auto id = text(object, "id");
  auto status = text(object, "status");
  if (!id || !status) {
    throw TransientError(TransientError::Kind::kBadResponse, 200,
                         "PortOne's payment has no id or status");
  }
  payment.id = *id;
  payment.status = paymentStatusFromName(*status);
  payment.transaction_id = text(object, "transactionId").value_or("");
  payment.store_id = text(object, "storeId").value_or("");
  payment.currency = text(object, "currency").value_or("");
  payment.order_name = text(object, "orderName").value_or("");
  payment.billing_key = text(object, "billingKey");
  payment.schedule_id = text(object, "scheduleId");
  if (Object::Ptr amount = child(object, "amount")) {
    payment.amount.total = amountInWon(*amount, "total");
    payment.amount.paid = amountInWon(*amount, "paid");
    payment.amount.cancelled = amountInWon(*amount, "cancelled");
    payment.amount.discount = amountInWon(*amount, "discount");
  }
  if (Object::Ptr method = child(object, "method")) {
    const auto type = paymentMethodTypeFromName(text(*method, "type").value_or(""));
    payment.method = type;
    if (type == PaymentMethodType::kCard) payment.card = cardFacts(*method);
    // An easy-pay (Kakao Pay, ...) charged to a card is money from a card.
    Object::Ptr easy =
        type == PaymentMethodType::kEasyPay ? child(*method, "easyPayMethod") : nullptr;
    if (easy && text(*easy, "type") == "PaymentMethodCard") payment.card = cardFacts(*easy);
  }
  if (Object::Ptr customer = child(object, "customer")) {
    payment.customer_id = text(*customer, "id");
    if (auto phone = text(*customer, "phoneNumber"))
      payment.customer_phone = normalizedPhone(*phone);
  }
  if (Object::Ptr channel = child(object, "channel"))
    payment.live = text(*channel, "type") == "LIVE";
  if (auto paid_at = text(object, "paidAt")) payment.paid_at = parseRfc3339(*paid_at);
  if (Object::Ptr failure = child(object, "failure")) {
    payment.failure_reason = text(*failure, "reason");
    payment.failure_pg_code = text(*failure, "pgCode");
  }
  return payment;
}

BillingKeyStatus billingKeyStatusFromName(std::string_view name) {
  if (name == "ISSUED") return BillingKeyStatus::kIssued;
  if (name == "DELETED") return BillingKeyStatus::kDeleted;
  return BillingKeyStatus::kUnrecognized;
}

std::optional<std::string> cardLastDigits(std::string_view masked_number) {
  if (masked_number.size() < 4) return std::nullopt;
  const auto last = masked_number.substr(masked_number.size() - 4);
  for (char c : last) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::string(last);
}

BillingKeyInfo billingKeyFromJson(const Object& object) {
  auto key = text(object, "billingKey");
  auto status = text(object, "status");
  if (!key || !status) {
    throw TransientError(TransientError::Kind::kBadResponse, 200,
                         "PortOne's billing key has no billingKey or status");
  }
  BillingKeyInfo info;
  info.billing_key = *key;
  info.status = billingKeyStatusFromName(*status);
  if (Object::Ptr customer = child(object, "customer")) info.customer_id = text(*customer, "id");
  if (auto methods = object.has("methods") ? object.getArray("methods") : nullptr) {
    for (std::size_t i = 0; i < methods->size() && !info.masked_card_number; ++i) {
      if (Object::Ptr method = methods->getObject(static_cast<unsigned>(i)))
        info.masked_card_number = maskedCardNumber(*method);
    }
  }
  if (auto issued_at = text(object, "issuedAt")) info.issued_at = parseRfc3339(*issued_at);
  if (auto deleted_at = text(object, "deletedAt")) info.deleted_at = parseRfc3339(*deleted_at);
  return info;
}

}  // namespace paymentd::portone
