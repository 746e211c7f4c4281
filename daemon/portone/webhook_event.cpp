#include "portone/webhook_event.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <utility>

namespace paymentd::portone {
namespace {

constexpr std::array<std::pair<WebhookEventType, const char*>, 16> kNames = {{
    {WebhookEventType::kTransactionReady, "Transaction.Ready"},
    {WebhookEventType::kTransactionPaid, "Transaction.Paid"},
    {WebhookEventType::kTransactionVirtualAccountIssued, "Transaction.VirtualAccountIssued"},
    {WebhookEventType::kTransactionPartialCancelled, "Transaction.PartialCancelled"},
    {WebhookEventType::kTransactionCancelled, "Transaction.Cancelled"},
    {WebhookEventType::kTransactionFailed, "Transaction.Failed"},
    {WebhookEventType::kTransactionPayPending, "Transaction.PayPending"},
    {WebhookEventType::kTransactionCancelPending, "Transaction.CancelPending"},
    {WebhookEventType::kTransactionDisputeCreated, "Transaction.DisputeCreated"},
    {WebhookEventType::kTransactionDisputeResolved, "Transaction.DisputeResolved"},
    {WebhookEventType::kTransactionConfirm, "Transaction.Confirm"},
    {WebhookEventType::kBillingKeyReady, "BillingKey.Ready"},
    {WebhookEventType::kBillingKeyIssued, "BillingKey.Issued"},
    {WebhookEventType::kBillingKeyFailed, "BillingKey.Failed"},
    {WebhookEventType::kBillingKeyDeleted, "BillingKey.Deleted"},
    {WebhookEventType::kBillingKeyUpdated, "BillingKey.Updated"},
}};

// A string member, or nullopt when absent, null or not a string.
std::optional<std::string> stringField(const Poco::JSON::Object& object, const std::string& key) {
  if (!object.has(key)) return std::nullopt;
  const Poco::Dynamic::Var value = object.get(key);
  if (value.isEmpty() || !value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

bool isTransaction(WebhookEventType type) {
  return type >= WebhookEventType::kTransactionReady &&
         type <= WebhookEventType::kTransactionConfirm;
}

WebhookParse failure(WebhookParse::Status status, WebhookEvent event, std::string problem) {
  return WebhookParse{status, std::move(event), std::move(problem)};
}

}  // namespace

WebhookEventType webhookEventTypeFromName(std::string_view name) {
  for (const auto& [type, text] : kNames) {
    if (name == text) return type;
  }
  return WebhookEventType::kUnrecognized;
}

const char* webhookEventTypeName(WebhookEventType type) {
  for (const auto& [known, text] : kNames) {
    if (known == type) return text;
  }
  return "";
}

std::vector<std::string> webhookEventTypeNames() {
  std::vector<std::string> names;
  for (const auto& [type, text] : kNames) names.emplace_back(text);
  return names;
}

WebhookEventParser::WebhookEventParser(std::string store_id, std::set<WebhookEventType> handled)
    : store_id_(std::move(store_id)), handled_(std::move(handled)) {}

WebhookParse WebhookEventParser::parse(std::string_view body) const {
  WebhookEvent event;
  Poco::JSON::Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(std::string(body)).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return failure(WebhookParse::Status::kMalformed, event, "body is not a JSON object");
  }
  if (!root) return failure(WebhookParse::Status::kMalformed, event, "body is not a JSON object");

  auto type = stringField(*root, "type");
  if (!type) return failure(WebhookParse::Status::kMalformed, event, "body has no string 'type'");
  event.type_name = *type;
  event.type = webhookEventTypeFromName(*type);
  event.timestamp = stringField(*root, "timestamp").value_or("");

  Poco::JSON::Object::Ptr data = root->has("data") ? root->getObject("data") : nullptr;
  if (data) {
    event.store_id = stringField(*data, "storeId");
    event.payment_id = stringField(*data, "paymentId");
    event.transaction_id = stringField(*data, "transactionId");
    event.cancellation_id = stringField(*data, "cancellationId");
    event.billing_key = stringField(*data, "billingKey");
  }
  // Checked for every type: another store's webhook must not even be acknowledged as ours.
  if (event.store_id && *event.store_id != store_id_) {
    return failure(WebhookParse::Status::kForeignStore, event,
                   "storeId '" + *event.store_id + "' is not this store");
  }
  if (handled_.count(event.type) == 0) {
    return failure(WebhookParse::Status::kIgnored, event, "type '" + *type + "' is not handled");
  }
  if (isTransaction(event.type) && (!event.payment_id || event.payment_id->empty())) {
    return failure(WebhookParse::Status::kMalformed, event, "data.paymentId is missing");
  }
  if (isTransaction(event.type) && !event.transaction_id) {
    return failure(WebhookParse::Status::kMalformed, event, "data.transactionId is missing");
  }
  if (!isTransaction(event.type) && !event.billing_key) {
    return failure(WebhookParse::Status::kMalformed, event, "data.billingKey is missing");
  }
  return WebhookParse{WebhookParse::Status::kAccepted, std::move(event), ""};
}

}  // namespace paymentd::portone
