// pipeline/payment_pipeline.h: one PortOne webhook, from raw bytes to an answer.
//
// signature -> parse -> type filter -> "received" -> per-payment lock ->
// the payment from PortOne -> status facts -> one transaction (validators in
// YAML order, then the processor for the payment type, then the fulfilment
// record) -> commit. A business failure rolls back and is refunded; an outage
// answers 503 and refunds nothing. Answers follow BRIEF section 5.
// Thread-safe: every request thread calls handleWebhook on one instance.
#pragma once

#include <chrono>
#include <string>

#include "clock/clock.h"
#include "http/http_message.h"
#include "loader/active_plugins.h"
#include "lock/payment_lock.h"
#include "metrics/metrics.h"
#include "paymentd/context.h"
#include "pipeline/refunder.h"
#include "portone/api_client.h"
#include "portone/webhook_event.h"
#include "portone/webhook_verifier.h"
#include "recurring/billing_failures.h"
#include "storage/database.h"

namespace paymentd::pipeline {

struct PipelineOptions {
  std::chrono::milliseconds lock_ttl{60000};
  std::string admin_channel = "admin_slack";
  config::RecurringConfig recurring;  // failed renewals: recurring/billing_failures.h
};

struct PipelineParts {
  const Clock& clock;
  const portone::WebhookVerifier& verifier;
  const portone::WebhookEventParser& parser;
  const portone::PortOneClient& portone;
  storage::Database& database;
  lock::PaymentLock& lock;
  const loader::ActivePlugins& plugins;
  metrics::Metrics& metrics;
};

/// A payment no webhook finished, as the reconciler found it.
struct ReconcileRequest {
  std::string payment_id;
  Claims claims;       // what paymentd recorded of it (the schedule, the failure)
  std::string reason;  // overdue_schedule, unfinished_refund, unsettled_webhook
};

struct ReconcileResult {
  bool settled = false;  // a final answer: nothing left for the reconciler
  std::string outcome;   // what a webhook would have been answered (fulfilled, ...)
  std::string code;      // its code, if any
};

/// The webhook types the pipeline acts on; every other type is acknowledged.
std::set<portone::WebhookEventType> handledWebhookTypes();

class PaymentPipeline {
 public:
  PaymentPipeline(PipelineParts parts, PipelineOptions options);

  http::HttpResponse handleWebhook(const http::HttpRequest& request) const;

  /// Runs the payment as if PortOne had delivered the webhook its current status
  /// implies (FAILED: Transaction.Failed, else Transaction.Paid), under the same
  /// lock and with the same decisions.
  ReconcileResult reconcile(const ReconcileRequest& request) const;

 private:
  struct Answer;
  class Run;

  Answer handleVerified(const http::HttpRequest& request, const portone::WebhookEvent& event) const;
  /// Records how the run started (`stage`: received or reconcile; `why`: the
  /// webhook type or the reconciler's reason, with the claims), takes the
  /// payment's lock, and processes.
  Answer runLocked(Run& run, const std::string& stage, const std::string& why) const;
  Answer processLocked(Run& run) const;
  Answer fulfil(Run& run) const;
  Answer fail(Run& run, const Outcome& outcome) const;

  PipelineParts parts_;
  PipelineOptions options_;
  Refunder refunder_;
  recurring::BillingFailures billing_failures_;
};

}  // namespace paymentd::pipeline
