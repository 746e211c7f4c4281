// portone/webhook_event.h: the body of a verified PortOne V2 webhook (version 2024-04-25).
//
// The body is only a hint: it names the payment, and the pipeline then reads
// the truth from PortOne's API. Unknown fields are ignored; an unknown `type`
// is not an error but an event the caller acknowledges and skips.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace paymentd::portone {

/// PortOne's webhook `type`; kUnrecognized for a type added after this code.
enum class WebhookEventType {
  kTransactionReady = 1,
  kTransactionPaid,
  kTransactionVirtualAccountIssued,
  kTransactionPartialCancelled,
  kTransactionCancelled,
  kTransactionFailed,
  kTransactionPayPending,
  kTransactionCancelPending,
  kTransactionDisputeCreated,
  kTransactionDisputeResolved,
  kTransactionConfirm,
  kBillingKeyReady,
  kBillingKeyIssued,
  kBillingKeyFailed,
  kBillingKeyDeleted,
  kBillingKeyUpdated,
  kUnrecognized,
};

/// "Transaction.Paid" -> kTransactionPaid; anything else -> kUnrecognized.
WebhookEventType webhookEventTypeFromName(std::string_view name);
/// The wire name; "" for kUnrecognized.
const char* webhookEventTypeName(WebhookEventType type);
/// Every wire name PortOne documents, in the enum's order.
std::vector<std::string> webhookEventTypeNames();

struct WebhookEvent {
  WebhookEventType type = WebhookEventType::kUnrecognized;
  std::string type_name;  // as sent, also for unrecognized types
  std::string timestamp;  // event time (RFC 3339), the same on every redelivery
  std::optional<std::string> store_id;
  std::optional<std::string> payment_id;      // Transaction.* events
  std::optional<std::string> transaction_id;  // Transaction.* events
  std::optional<std::string> cancellation_id;
  std::optional<std::string> billing_key;  // BillingKey.* events
};

struct WebhookParse {
  enum class Status {
    kAccepted = 1,  // a handled type, with the fields it needs
    kIgnored,       // a well-formed webhook of a type the caller does not handle
    kMalformed,     // not JSON, no type, or a handled type without paymentId (400)
    kForeignStore,  // storeId present and not ours
  };
  Status status = Status::kMalformed;
  WebhookEvent event;
  std::string problem;  // why, when not accepted; safe to log
};

class WebhookEventParser {
 public:
  /// `store_id`: ours; `handled`: the types the caller acts on. Handled
  /// Transaction.* types must carry data.paymentId and data.transactionId.
  WebhookEventParser(std::string store_id, std::set<WebhookEventType> handled);

  WebhookParse parse(std::string_view body) const;

 private:
  std::string store_id_;
  std::set<WebhookEventType> handled_;
};

}  // namespace paymentd::portone
