#include "api/webhook_route.h"

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

}  // namespace

std::set<portone::WebhookEventType> handledWebhookTypes() {
  return {portone::WebhookEventType::kTransactionPaid,
          portone::WebhookEventType::kTransactionFailed};
}

http::HttpResponse WebhookRoute::handle(const http::HttpRequest& request) const {
  std::string type = "unverified";
  const core::Decision decision = decide(request, type);
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
  // Refused before the service: no lock, no trace, no PortOne call for an id no payment has.
  if (!portone::isPaymentId(*parsed.event.payment_id)) {
    return core::Decision{core::Verdict::kMalformed, "BAD_PAYMENT_ID"};
  }
  const WebhookEvent event = parsed.event.type == portone::WebhookEventType::kTransactionPaid
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
