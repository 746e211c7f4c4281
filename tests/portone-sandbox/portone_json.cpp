#include "portone_json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "portone/rfc3339.h"

namespace paymentd::sandbox {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object cardJson(const SandboxPayment& payment) {
  Object card;
  card.set("brand", payment.card_brand);
  card.set("type", payment.card_type);
  card.set("ownerType", "PERSONAL");
  card.set("bin", "43301234");
  card.set("name", "Sandbox card");
  card.set("number", "43301234****123*");  // masked, as PortOne sends it
  Object method;
  method.set("type", "PaymentMethodCard");
  method.set("card", card);
  method.set("approvalNumber", "30012345");
  Object installment;
  installment.set("month", 0);
  installment.set("isInterestFree", false);
  method.set("installment", installment);
  method.set("pointUsed", false);
  return method;
}

Object methodJson(const SandboxPayment& payment) {
  if (payment.method_type == "PaymentMethodCard") return cardJson(payment);
  Object method;
  method.set("type", payment.method_type);
  if (payment.method_type == "PaymentMethodVirtualAccount") {
    method.set("bank", "SHINHAN");
    method.set("accountNumber", "56211105948400");
    method.set("accountType", "FIXED");
    method.set("remitteeName", "sandbox");
    method.set("issuedAt", timeText(payment.requested_at));
    method.set("expiredAt", timeText(payment.requested_at + std::chrono::hours(72)));
  } else if (payment.method_type == "PaymentMethodTransfer") {
    method.set("bank", "SHINHAN");
  } else if (payment.method_type == "PaymentMethodEasyPay") {
    method.set("provider", "KAKAOPAY");
    method.set("easyPayMethod", cardJson(payment));
  }
  return method;
}

// SelectedChannel: the one channel the sandbox pretends to have.
Object channelJson(const std::string& type) {
  Object channel;
  channel.set("type", type);
  channel.set("id", "channel-id-sandbox");
  channel.set("key", "channel-key-sandbox");
  channel.set("name", "sandbox channel");
  channel.set("pgProvider", "TOSSPAYMENTS");
  channel.set("pgMerchantId", "sandbox-pg-merchant");
  return channel;
}

std::int64_t vatOf(std::int64_t total) {
  return total / 11;
}

}  // namespace

std::string timeText(TimePoint time) {
  return portone::formatRfc3339(time);
}

std::string toJson(const Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string errorBody(const std::string& type, const std::string& message) {
  Object error;
  error.set("type", type);
  error.set("message", message);
  return toJson(error);
}

Object cancellationJson(const SandboxCancellation& cancellation) {
  Object json;
  json.set("status", "SUCCEEDED");
  json.set("id", cancellation.id);
  json.set("pgCancellationId", "pg-" + cancellation.id);
  json.set("totalAmount", cancellation.total_amount);
  json.set("taxFreeAmount", 0);
  json.set("vatAmount", vatOf(cancellation.total_amount));
  json.set("reason", cancellation.reason);
  json.set("requestedAt", timeText(cancellation.requested_at));
  json.set("cancelledAt", timeText(cancellation.cancelled_at));
  json.set("trigger", cancellation.trigger);
  return json;
}

Object paymentJson(const SandboxPayment& payment, const SandboxOptions& options) {
  Object json;
  json.set("status", payment.status);
  json.set("id", payment.id);
  json.set("transactionId", payment.transaction_id);
  json.set("merchantId", options.merchant_id);
  json.set("storeId", payment.store_id);
  if (!payment.method_type.empty()) json.set("method", methodJson(payment));
  json.set("channel", channelJson(payment.channel_type));
  json.set("version", "V2");
  if (payment.schedule_id) json.set("scheduleId", *payment.schedule_id);
  if (payment.billing_key) json.set("billingKey", *payment.billing_key);
  json.set("requestedAt", timeText(payment.requested_at));
  json.set("updatedAt", timeText(payment.updated_at));
  json.set("statusChangedAt", timeText(payment.status_changed_at));
  json.set("orderName", payment.order_name);
  const bool money_taken = payment.paid_at.has_value();
  Object amount;
  amount.set("total", payment.total);
  amount.set("taxFree", 0);
  amount.set("vat", vatOf(payment.total));
  amount.set("supply", payment.total - vatOf(payment.total));
  amount.set("discount", 0);
  amount.set("paid", money_taken ? payment.total : 0);
  amount.set("cancelled", payment.cancelled);
  amount.set("cancelledTaxFree", 0);
  json.set("amount", amount);
  json.set("currency", payment.currency);
  Object customer;
  if (payment.customer_id) customer.set("id", *payment.customer_id);
  if (payment.customer_phone) customer.set("phoneNumber", *payment.customer_phone);
  json.set("customer", customer);
  Object origin;
  origin.set("platformType", "API");
  origin.set("ipAddress", "127.0.0.1");
  json.set("origin", origin);
  json.set("isCulturalExpense", false);
  if (payment.custom_data) json.set("customData", *payment.custom_data);

  Array cancellations;
  for (const auto& cancellation : payment.cancellations)
    cancellations.add(cancellationJson(cancellation));
  if (payment.status == "PAID") {
    json.set("paidAt", timeText(*payment.paid_at));
    json.set("pgTxId", payment.pg_tx_id);
    json.set("receiptUrl", "http://127.0.0.1/receipt/" + payment.id);
    json.set("disputes", Array());
    json.set("cancellations", cancellations);
  } else if (payment.status == "FAILED") {
    json.set("failedAt", timeText(payment.failed_at.value_or(payment.status_changed_at)));
    Object failure;
    failure.set("reason", payment.failure_reason);
    if (!payment.pg_code.empty()) failure.set("pgCode", payment.pg_code);
    if (!payment.pg_message.empty()) failure.set("pgMessage", payment.pg_message);
    json.set("failure", failure);
  } else if (payment.status == "CANCELLED" || payment.status == "PARTIAL_CANCELLED") {
    json.set("cancelledAt", timeText(payment.cancelled_at.value_or(payment.status_changed_at)));
    json.set("cancellations", cancellations);
    if (payment.paid_at) json.set("paidAt", timeText(*payment.paid_at));
    json.set("pgTxId", payment.pg_tx_id);
  } else if (payment.status == "PAY_PENDING" || payment.status == "VIRTUAL_ACCOUNT_ISSUED") {
    json.set("pgTxId", payment.pg_tx_id);
  }
  return json;
}

std::string maskedCardNumber(const std::string& number) {
  if (number.size() <= 10) return std::string(number.size(), '*');
  return number.substr(0, 6) + std::string(number.size() - 10, '*') +
         number.substr(number.size() - 4);
}

Object billingKeyJson(const SandboxBillingKey& key, const SandboxOptions& options) {
  Object json;
  json.set("status", key.deleted ? "DELETED" : "ISSUED");
  json.set("billingKey", key.key);
  json.set("merchantId", options.merchant_id);
  json.set("storeId", options.store_id);
  Object card;
  card.set("brand", "VISA");
  card.set("type", "CREDIT");
  card.set("ownerType", "PERSONAL");
  card.set("bin", key.card_number.substr(0, 6));
  card.set("name", "Sandbox card");
  card.set("number", maskedCardNumber(key.card_number));
  Object method;
  method.set("type", "BillingKeyPaymentMethodCard");
  method.set("card", card);
  Array methods;
  methods.add(method);
  json.set("methods", methods);
  Array channels;
  channels.add(channelJson("TEST"));
  json.set("channels", channels);
  Object customer;
  if (key.customer_id) customer.set("id", *key.customer_id);
  json.set("customer", customer);
  json.set("requestedAt", timeText(key.issued_at));
  json.set("issuedAt", timeText(key.issued_at));
  if (key.deleted) json.set("deletedAt", timeText(key.deleted_at.value_or(key.issued_at)));
  return json;
}

Object scheduleJson(const SandboxSchedule& schedule, const SandboxOptions& options) {
  Object json;
  json.set("status", schedule.status);
  json.set("id", schedule.id);
  json.set("merchantId", options.merchant_id);
  json.set("storeId", schedule.store_id);
  json.set("paymentId", schedule.payment_id);
  json.set("billingKey", schedule.billing_key);
  json.set("orderName", schedule.order_name);
  json.set("isCulturalExpense", false);
  json.set("isEscrow", false);
  Object customer;
  if (schedule.customer_id) customer.set("id", *schedule.customer_id);
  if (schedule.customer_phone) customer.set("phoneNumber", *schedule.customer_phone);
  json.set("customer", customer);
  json.set("customData", schedule.custom_data.value_or(""));
  json.set("totalAmount", schedule.total);
  json.set("currency", schedule.currency);
  if (!schedule.notice_urls.empty()) {
    Array urls;
    for (const auto& url : schedule.notice_urls) urls.add(url);
    json.set("noticeUrls", urls);
  }
  json.set("createdAt", timeText(schedule.created_at));
  json.set("timeToPay", timeText(schedule.time_to_pay));
  if (schedule.started_at) json.set("startedAt", timeText(*schedule.started_at));
  if (schedule.completed_at) json.set("completedAt", timeText(*schedule.completed_at));
  if (schedule.revoked_at) json.set("revokedAt", timeText(*schedule.revoked_at));
  return json;
}

// The request body as an object; nullptr when it is not one.
Poco::JSON::Object::Ptr bodyObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text.empty() ? "{}" : text).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

std::optional<std::string> optText(const Poco::JSON::Object& object, const std::string& key) {
  if (!object.has(key) || !object.get(key).isString()) return std::nullopt;
  return object.getValue<std::string>(key);
}

std::optional<std::int64_t> optInteger(const Poco::JSON::Object& object, const std::string& key) {
  if (!object.has(key) || !object.get(key).isInteger()) return std::nullopt;
  return object.getValue<std::int64_t>(key);
}

}  // namespace paymentd::sandbox
