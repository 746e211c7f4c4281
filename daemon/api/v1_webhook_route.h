// api/v1_webhook_route.h: POST /api/v1/payment/webhook/iamport, PortOne V1's (Iamport)
// webhook for the renewals of V1 subscriptions.
//
// size limit -> parse (JSON or form) -> the claims from paymentd's own record of the
// schedule it made (the ledger row of the merchant_uid: V1 webhooks carry none) ->
// PaymentService::settleWebhook through the V1 gateway, which reads the payment again
// by its imp_uid and lets PortOne's status, not the unsigned body, decide -> the answer
// table (api/webhook_answer.h). A merchant_uid paymentd never scheduled changes nothing.
// Only added when `portone.v1` is configured: otherwise the path answers 404.
#pragma once

#include <string>

#include "http/router.h"
#include "metrics/metrics.h"
#include "pipeline/payment_service.h"
#include "storage/database.h"

namespace paymentd::api {

/// The type the trace and the metrics name a V1 webhook by.
inline constexpr const char* kV1WebhookType = "V1.Webhook";

/// The body limit: V1's three fields fit in far less.
inline constexpr std::size_t kMaxV1WebhookBytes = 4096;

struct V1WebhookRouteParts {
  const pipeline::PaymentService& service;  // the one with the V1 gateway
  storage::Database& database;
  metrics::Metrics& metrics;
  std::string payment_type;  // recurring.payment_type: what every renewal is
};

/// Thread-safe; one instance serves every request thread.
class V1WebhookRoute {
 public:
  explicit V1WebhookRoute(V1WebhookRouteParts parts) : parts_(std::move(parts)) {}

  http::HttpResponse handle(const http::HttpRequest& request) const;

 private:
  core::Decision decide(const http::HttpRequest& request) const;

  V1WebhookRouteParts parts_;
};

/// Routes POST /api/v1/payment/webhook/iamport to `route`, which must outlive the router.
void addV1WebhookRoute(http::Router& router, const V1WebhookRoute& route);

}  // namespace paymentd::api
