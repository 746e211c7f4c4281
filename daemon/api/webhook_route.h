// api/webhook_route.h: POST /api/v1/payment/webhook, PortOne's webhooks.
//
// The HTTP edge of the payment service: signature -> parse -> type filter ->
// the URL's claims -> PaymentService::settleWebhook -> the answer table
// (api/webhook_answer.h). Cancellations and deleted billing keys (changes made
// in PortOne's console) go to lifecycle::OutsideChanges instead. Nothing here
// decides what happens to a payment.
#pragma once

#include <set>

#include "config/live.h"
#include "http/router.h"
#include "lifecycle/outside_changes.h"
#include "metrics/metrics.h"
#include "pipeline/payment_service.h"
#include "portone/webhook_event.h"
#include "portone/webhook_verifier.h"

namespace paymentd::api {

/// The webhook types the payment service acts on; every other type is acknowledged.
std::set<portone::WebhookEventType> handledWebhookTypes();

struct WebhookRouteParts {
  /// The secrets now: a reload that rotates them swaps the verifier whole.
  const config::Live<portone::WebhookVerifier>& verifier;
  const portone::WebhookEventParser& parser;
  const pipeline::PaymentService& service;
  const lifecycle::OutsideChanges& outside;
  metrics::Metrics& metrics;
};

/// Thread-safe; one instance serves every request thread.
class WebhookRoute {
 public:
  explicit WebhookRoute(WebhookRouteParts parts) : parts_(parts) {}

  http::HttpResponse handle(const http::HttpRequest& request) const;

 private:
  core::Decision decide(const http::HttpRequest& request, std::string& type) const;

  WebhookRouteParts parts_;
};

/// Routes POST /api/v1/payment/webhook to `route`, which must outlive the router.
void addWebhookRoute(http::Router& router, const WebhookRoute& route);

}  // namespace paymentd::api
