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
        // A full batch of every kind suggests more are waiting: go again at once.
        return runOnce() >= 3 * options_.batch_size;
      }) {}

Reconciler::~Reconciler() {
  stop();
}

std::size_t Reconciler::runOnce() const {
  const Timestamp before = clock_.now() - options_.grace;
  std::size_t taken = 0;
  // One payment through the pipeline, logged with why it was taken up.
  const auto take = [&](const std::string& payment_id, Claims claims, const char* reason,
                        const std::string& why) {
    const ReconcileResult result = pipeline_.reconcile({payment_id, std::move(claims), reason});
    Poco::Logger::get("paymentd.reconcile")
        .information("payment_id=" + payment_id + " stage=reconcile result=" + result.outcome +
                     " " + why);
    ++taken;
    return result;
  };

  for (const auto& renewal : storage::overdueRenewals(database_, before, options_.batch_size)) {
    take(renewal.payment_id,
         Claims{renewal.user_id, renewal.plan_id, options_.renewal_payment_type, std::nullopt},
         "overdue_schedule",
         "overdue renewal of subscription " + std::to_string(renewal.subscription_id));
  }
  for (const auto& failure :
       storage::PaymentLog(database_).unfinishedRefunds(before, options_.batch_size)) {
    take(failure.payment_id, Claims{std::nullopt, std::nullopt, failure.payment_type, std::nullopt},
         "unfinished_refund", "unfinished refund (" + failure.code + ")");
  }
  const Timestamp since = clock_.now() - options_.give_up_after;
  for (auto& webhook : storage::unsettledWebhooks(database_, before, since, options_.batch_size)) {
    const ReconcileResult result = take(webhook.payment_id, webhook.claims, "unsettled_webhook",
                                        "webhook last answered " + webhook.answer);
    if (result.settled) {
      storage::forgetUnsettledWebhook(database_, webhook.payment_id);
    } else {
      webhook.answer = result.code;  // looked at now: next look after another grace
      storage::rememberUnsettledWebhook(database_, webhook);
    }
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
