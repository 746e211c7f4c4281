#include "pipeline/reconciler.h"

#include <Poco/Logger.h>

#include "storage/overdue_renewals.h"
#include "storage/payment_log.h"
#include "storage/unsettled_webhooks.h"

namespace paymentd::pipeline {

Reconciler::Reconciler(const Clock& clock, storage::Database& database,
                       const PaymentPipeline& pipeline, ReconcilerOptions options)
    : clock_(clock),
      database_(database),
      pipeline_(pipeline),
      options_(std::move(options)),
      loop_("paymentd.reconcile", options_.interval, [this] {
        // A full batch suggests more are waiting: go again without waiting.
        return runOnce() >= 3 * options_.batch_size;
      }) {}

Reconciler::~Reconciler() {
  stop();
}

std::size_t Reconciler::runOnce() const {
  const Timestamp before = clock_.now() - options_.grace;
  Poco::Logger& logger = Poco::Logger::get("paymentd.reconcile");
  std::size_t taken = 0;
  for (const auto& renewal : storage::overdueRenewals(database_, before, options_.batch_size)) {
    ReconcileRequest request;
    request.payment_id = renewal.payment_id;
    request.claims.user_id = renewal.user_id;
    request.claims.subscribe_id = renewal.plan_id;
    request.claims.payment_type = options_.renewal_payment_type;
    request.reason = "overdue_schedule";
    const std::string outcome = pipeline_.reconcile(request).outcome;
    logger.information("payment_id=" + renewal.payment_id + " stage=reconcile result=" + outcome +
                       " overdue renewal of subscription " +
                       std::to_string(renewal.subscription_id));
    ++taken;
  }
  storage::PaymentLog log(database_);
  for (const auto& failure : log.unfinishedRefunds(before, options_.batch_size)) {
    ReconcileRequest request;
    request.payment_id = failure.payment_id;
    request.claims.payment_type = failure.payment_type;
    request.reason = "unfinished_refund";
    const std::string outcome = pipeline_.reconcile(request).outcome;
    logger.information("payment_id=" + failure.payment_id + " stage=reconcile result=" + outcome +
                       " unfinished refund (" + failure.code + ")");
    ++taken;
  }
  const Timestamp since = clock_.now() - options_.give_up_after;
  for (auto& webhook : storage::unsettledWebhooks(database_, before, since, options_.batch_size)) {
    ReconcileRequest request;
    request.payment_id = webhook.payment_id;
    request.claims = webhook.claims;
    request.reason = "unsettled_webhook";
    const ReconcileResult result = pipeline_.reconcile(request);
    if (result.settled) {
      storage::forgetUnsettledWebhook(database_, webhook.payment_id);
    } else {
      webhook.answer = result.code;  // looked at now: next look after another grace
      storage::rememberUnsettledWebhook(database_, webhook);
    }
    logger.information("payment_id=" + webhook.payment_id + " stage=reconcile result=" +
                       result.outcome + " webhook last answered " + webhook.answer);
    ++taken;
  }
  return taken;
}

void Reconciler::start() {
  loop_.start();
}

void Reconciler::stop() {
  loop_.stop();
}

}  // namespace paymentd::pipeline
