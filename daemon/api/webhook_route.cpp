#include "api/webhook_route.h"

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include "api/webhook_answer.h"
#include "portone/payment_id.h"

namespace paymentd::api {
namespace {

Claims claimsFrom(const http::HttpRequest& request) {
  const auto nonEmpty = [&](const char* name) -> std::optional<std::string> {
    auto value = request.queryParam(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  };
  return Claims{nonEmpty("user_id"), nonEmpty("subscribe_id"), nonEmpty("payment_type"),
                nonEmpty("coupon_id")};
}

// A webhook refused before the payment service (bad signature, stale timestamp, a body
// that is no PortOne webhook): one notice line with the reason and who sent it, never
// the body or a header (the secret's signature among them).
void logRefusal(const http::HttpRequest& request, const core::Decision& decision) {
  Poco::Message line("paymentd.webhook", "webhook refused", Poco::Message::PRIO_NOTICE);
  line.set("outcome", std::string(core::verdictName(decision.verdict)));
  line.set("code", decision.code);
  line.set("source", request.remote_address);
  Poco::Logger::get("paymentd.webhook").log(line);
}

bool refusedBeforeTheService(core::Verdict verdict) {
  return verdict == core::Verdict::kBadSignature || verdict == core::Verdict::kMalformed ||
         verdict == core::Verdict::kForeignStore;
}

}  // namespace

std::set<portone::WebhookEventType> handledWebhookTypes() {
  return {portone::WebhookEventType::kTransactionPaid,
          portone::WebhookEventType::kTransactionFailed,
          portone::WebhookEventType::kTransactionCancelled,
          portone::WebhookEventType::kTransactionPartialCancelled,
          portone::WebhookEventType::kBillingKeyDeleted,
          portone::WebhookEventType::kBillingKeyUpdated};
}

http::HttpResponse WebhookRoute::handle(const http::HttpRequest& request) const {
  std::string type = "unverified";
  const core::Decision decision = decide(request, type);
  if (refusedBeforeTheService(decision.verdict)) logRefusal(request, decision);
  parts_.metrics.countWebhook(type, std::string(core::verdictName(decision.verdict)));
  return webhookAnswer(decision);
}

core::Decision WebhookRoute::decide(const http::HttpRequest& request, std::string& type) const {
  const auto header = [&](const std::string& name) { return request.singleHeader(name); };
  const auto verdict =
      parts_.verifier.current()->verify(portone::WebhookHeaders::from(header), request.body);
  if (verdict != portone::WebhookVerdict::kValid) {
    return core::Decision{core::Verdict::kBadSignature, portone::verdictName(verdict)};
  }
  const portone::WebhookParse parsed = parts_.parser.parse(request.body);
  type = parsed.event.type_name;  // the metrics count a type PortOne does not document as "other"
  switch (parsed.status) {
    case portone::WebhookParse::Status::kMalformed:
      return core::Decision{core::Verdict::kMalformed, "NOT_A_PORTONE_WEBHOOK"};
    case portone::WebhookParse::Status::kForeignStore:
      return core::Decision{core::Verdict::kForeignStore, "FOREIGN_STORE"};
    case portone::WebhookParse::Status::kIgnored:
      return core::Decision{core::Verdict::kIgnored, ""};
    case portone::WebhookParse::Status::kAccepted:
      break;
  }
  const portone::WebhookEventType event_type = parsed.event.type;
  // Updated or Deleted, the body is a hint: what PortOne shows of the key decides.
  if (event_type == portone::WebhookEventType::kBillingKeyDeleted ||
      event_type == portone::WebhookEventType::kBillingKeyUpdated) {
    // A billing key has the shape of a payment id (1-238 visible characters).
    if (!portone::isPaymentId(*parsed.event.billing_key)) {
      return core::Decision{core::Verdict::kMalformed, "BAD_BILLING_KEY"};
    }
    return parts_.outside.billingKeyChanged(*parsed.event.billing_key);
  }
  // Refused before the service: no lock, no trace, no PortOne call for an id no payment has.
  if (!portone::isPaymentId(*parsed.event.payment_id)) {
    return core::Decision{core::Verdict::kMalformed, "BAD_PAYMENT_ID"};
  }
  if (event_type == portone::WebhookEventType::kTransactionCancelled ||
      event_type == portone::WebhookEventType::kTransactionPartialCancelled) {
    return parts_.outside.paymentCancelled(*parsed.event.payment_id, parsed.event.type_name);
  }
  const WebhookEvent event = event_type == portone::WebhookEventType::kTransactionPaid
                                 ? WebhookEvent::kTransactionPaid
                                 : WebhookEvent::kTransactionFailed;
  return parts_.service.settleWebhook(pipeline::WebhookDelivery{
      *parsed.event.payment_id, event, parsed.event.type_name, claimsFrom(request)});
}

void addWebhookRoute(http::Router& router, const WebhookRoute& route) {
  router.add("POST", "/api/v1/payment/webhook",
             [&route](const http::HttpRequest& request) { return route.handle(request); });
}

}  // namespace paymentd::api
