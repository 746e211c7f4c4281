#include "pipeline/reconciler.h"

#include <Poco/Logger.h>

#include "pipeline/give_up.h"
#include "storage/overdue_renewals.h"
#include "storage/payment_log.h"
#include "storage/transaction.h"
#include "storage/unsettled_webhooks.h"

namespace paymentd::pipeline {

Reconciler::Reconciler(const Clock& clock, storage::Database& database,
                       const PaymentService& service, ReconcilerOptions options,
                       const PaymentSweep* sweep, const PaymentService* v1_service)
    : clock_(clock),
      database_(database),
      service_(service),
      v1_service_(v1_service),
      sweep_(sweep),
      sweep_due_((clock.now() + options.interval).time_since_epoch().count()),
      options_(std::make_shared<const ReconcilerOptions>(std::move(options))),
      loop_("paymentd.reconcile", options_.current()->interval, [this] {
        // A full batch of every kind suggests more are waiting: go again at once.
        return runOnce() >= 3 * options_.current()->batch_size;
      }) {}

void Reconciler::apply(ReconcilerOptions options) {
  const auto interval = options.interval;
  options_.replace(std::make_shared<const ReconcilerOptions>(std::move(options)));
  loop_.setInterval(interval);
}

Reconciler::~Reconciler() {
  stop();
}

std::size_t Reconciler::runOnce() const {
  const auto options_now = options_.current();
  const ReconcilerOptions& options = *options_now;
  const Timestamp before = clock_.now() - options.grace;
  const Timestamp since = clock_.now() - options.give_up_after;
  std::size_t taken = 0;
  // One payment through the pipeline, logged with why it was taken up.
  const auto take = [&](const std::string& payment_id, Claims claims, const char* reason,
                        const std::string& why, bool schedule_dead = false) {
    const core::Decision decision =
        serviceFor(payment_id).reconcile({payment_id, std::move(claims), reason, schedule_dead});
    Poco::Logger::get("paymentd.reconcile")
        .information("payment_id=" + payment_id + " stage=reconcile result=" +
                     std::string(core::verdictName(decision.verdict)) + " " + why);
    ++taken;
    return decision;
  };

  for (const auto& renewal :
       storage::overdueRenewals(database_, before, since, options.batch_size)) {
    take(renewal.payment_id,
         Claims{renewal.user_id, renewal.plan_id, options.renewal_payment_type, std::nullopt},
         "overdue_schedule",
         "overdue renewal of subscription " + std::to_string(renewal.subscription_id) +
             (renewal.schedule_dead ? " (its schedule item is dead)" : ""),
         renewal.schedule_dead);
  }
  for (const auto& failure :
       storage::PaymentLog(database_).unfinishedRefunds(before, since, options.batch_size)) {
    take(failure.payment_id, Claims{std::nullopt, std::nullopt, failure.payment_type, std::nullopt},
         "unfinished_refund", "unfinished refund (" + failure.code + ")");
  }
  for (auto& webhook : storage::unsettledWebhooks(database_, before, since, options.batch_size)) {
    const core::Decision decision = take(webhook.payment_id, webhook.claims, "unsettled_webhook",
                                         "webhook last answered " + webhook.answer);
    if (decision.isFinal()) {
      storage::forgetUnsettledWebhook(database_, webhook.payment_id);
    } else {
      webhook.answer = decision.code;  // looked at now: next look after another grace
      storage::rememberUnsettledWebhook(database_, webhook);
    }
  }
  // What began before `since` is no longer retried above: an operator is told, once.
  giveUpAbandonedWork(database_, clock_, since, options.batch_size, options.admin_channel);
  const Timestamp now = clock_.now();
  if (sweep_ && now.time_since_epoch().count() >= sweep_due_.load()) {
    sweep_due_.store((now + options.interval).time_since_epoch().count());
    SweepOptions sweep = options.sweep;
    sweep.settle = options.grace;
    sweep.admin_channel = options.admin_channel;
    sweep_->runOnce(sweep);
  }
  return taken;
}

const PaymentService& Reconciler::serviceFor(const std::string& payment_id) const {
  if (v1_service_ == nullptr) return service_;
  storage::Transaction transaction(database_, storage::Connection::Access::kRead);
  const auto scheduled = transaction.schedules().find(payment_id);
  return scheduled && scheduled->portone_version == storage::PortOneVersion::kV1 ? *v1_service_
                                                                                 : service_;
}

void Reconciler::start() {
  loop_.start();
}

void Reconciler::stop() {
  loop_.stop();
}

}  // namespace paymentd::pipeline
