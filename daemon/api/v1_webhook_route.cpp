#include "api/v1_webhook_route.h"

#include "api/webhook_answer.h"
#include "portone/v1_webhook.h"
#include "storage/errors.h"
#include "storage/schedule_ledger.h"

namespace paymentd::api {
http::HttpResponse V1WebhookRoute::handle(const http::HttpRequest& request) const {
  if (request.body.size() > kMaxV1WebhookBytes) {
    parts_.metrics.countWebhook(kV1WebhookType,
                                std::string(core::verdictName(core::Verdict::kMalformed)));
    return http::errorResponse(413, "PAYLOAD_TOO_LARGE", "a V1 webhook is at most 4096 bytes");
  }
  const core::Decision decision = decide(request);
  parts_.metrics.countWebhook(kV1WebhookType, std::string(core::verdictName(decision.verdict)));
  return webhookAnswer(decision);
}

core::Decision V1WebhookRoute::decide(const http::HttpRequest& request) const {
  const auto webhook = portone::parseV1Webhook(request.body);
  if (!webhook) return core::Decision{core::Verdict::kMalformed, "NOT_A_V1_WEBHOOK"};
  std::optional<storage::ScheduleEntry> schedule;
  try {
    schedule = storage::findSchedule(parts_.database, webhook->merchant_uid);
  } catch (const storage::Error&) {
    return core::Decision{core::Verdict::kUnavailable, "STORAGE_UNAVAILABLE"};
  }
  // Only paymentd's own V1 schedules are paid through this route; anything else is
  // not a payment paymentd knows: nothing to look up, lock or trace.
  if (!schedule || schedule->portone_version != storage::PortOneVersion::kV1) {
    return core::Decision{core::Verdict::kNotFound, "UNKNOWN_MERCHANT_UID"};
  }
  pipeline::WebhookDelivery delivery;
  delivery.payment_id = webhook->merchant_uid;
  delivery.event = webhook->status == "failed" ? WebhookEvent::kTransactionFailed
                                               : WebhookEvent::kTransactionPaid;
  delivery.type_name = std::string(kV1WebhookType) + " status=" + webhook->status;
  delivery.claims = Claims{schedule->request.user_id, schedule->request.plan_id,
                           parts_.payment_type, std::nullopt};
  delivery.lookup_id = webhook->imp_uid;
  delivery.status_decides_event = true;
  return parts_.service.settleWebhook(delivery);
}

void addV1WebhookRoute(http::Router& router, const V1WebhookRoute& route) {
  router.add("POST", "/api/v1/payment/webhook/iamport",
             [&route](const http::HttpRequest& request) { return route.handle(request); });
}

}  // namespace paymentd::api
