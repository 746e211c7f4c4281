#include "recurring/billing_failures.h"

#include "paymentd/outbox.h"
#include "storage/errors.h"
#include "storage/transaction.h"

namespace paymentd::recurring {
namespace {

// Throws the storage error an Outcome stands for, inside the transaction.
void require(const Outcome& outcome) {
  if (outcome.isOk()) return;
  if (outcome.isTransient()) throw storage::Transient(outcome.code() + ": " + outcome.message());
  throw storage::Error(outcome.code() + ": " + outcome.message());
}

template <typename T>
T require(Result<T> result) {
  if (!result) require(result.error());
  return std::move(*result);
}

}  // namespace

FailureRecord BillingFailures::record(const Payment& payment,
                                      const std::optional<std::string>& pg_code) const {
  using Result = FailureRecord::Result;
  const auto ref = parseScheduledPaymentId(payment.id);
  if (!ref) return {Result::kIgnored, "not a payment paymentd scheduled"};
  const Timestamp now = clock_.now();
  storage::Transaction transaction(database_);  // leaving without commit() rolls back
  transaction.forPayment(payment.id);  // what it enqueues (notices, events) is this payment's
  // Only a schedule paymentd asked for is counted and retried: a failed
  // payment that merely borrows the id pattern must not push a subscription
  // towards FAILED, nor make us charge anyone.
  storage::ScheduleLedger& schedules = transaction.schedules();
  const auto failed = schedules.find(payment.id);
  if (!failed) return {Result::kIgnored, "paymentd never scheduled " + payment.id};
  if (failed->status == storage::ScheduleStatus::kRevoked) {
    return {Result::kIgnored, "paymentd withdrew " + payment.id};
  }
  // A late approval of another attempt paid the cycle: nothing is owed.
  if (const auto paid = schedules.paidAttempt(ref->subscription_id, ref->cycle)) {
    return {Result::kIgnored, "cycle " + std::to_string(ref->cycle) + " is paid by " + *paid};
  }
  StoreWriter& store = transaction.store();
  const auto found = require(store.subscription(ref->subscription_id));
  if (!found || (found->status != SubscriptionStatus::kActive &&
                 found->status != SubscriptionStatus::kPastDue)) {
    return {Result::kIgnored, "subscription " + std::to_string(ref->subscription_id) +
                                  " is missing, FAILED or CANCELLED"};
  }
  const Subscription& subscription = *found;
  const int failure_number = subscription.consecutive_failures + 1;
  const auto hard = hardDeclineCode(policy_, pg_code, payment.failure_reason);
  const FailureDecision decision =
      hard ? decideHardDecline(policy_, failure_number, *hard)
           : decideFailure(policy_, failure_number, subscription.period_end, ref->attempt, now);
  const std::string outcome = decision.give_up ? "FAILED" : "PAST_DUE";
  // The once-per-payment guard: a redelivery counts nothing.
  if (!transaction.recordBillingFailure({payment.id, subscription.id, ref->cycle, ref->attempt,
                                         decision.failure_number, outcome, now})) {
    return {Result::kCountedAlready, "this failure was counted already"};
  }
  schedules.markFailed(payment.id);
  SubscriptionUpdate update;
  update.subscription_id = subscription.id;
  update.status = decision.give_up ? SubscriptionStatus::kFailed : SubscriptionStatus::kPastDue;
  update.consecutive_failures = decision.failure_number;
  require(store.updateSubscription(update));

  auto plan = require(store.plan(subscription.plan_id));
  NoticeRequest notice;
  notice.channel = decision.channel;
  notice.template_code = decision.template_code;
  notice.user_id = subscription.user_id;
  notice.payment_id = payment.id;
  notice.send_at = now;
  if (decision.to_subscriber) notice.recipient_subscription_id = subscription.id;
  notice.fields = {{"subscription_id", std::to_string(subscription.id)},
                   {"plan", plan ? plan->name : subscription.plan_id},
                   {"failure_count", std::to_string(decision.failure_number)}};
  if (decision.hard_decline_code) notice.fields["hard_decline_code"] = *decision.hard_decline_code;
  if (decision.retry_at) {
    notice.fields["retry_date"] = seoulText(*decision.retry_at);
    // The failed attempt again, one attempt later: the same charge (the
    // cycle's price was fixed when it was first scheduled, whatever the plan
    // costs now), on the subscription's current card. (Its payment type is
    // the host's: schedule_executor.h.)
    SchedulePaymentRequest retry = failed->request;
    retry.attempt = ref->attempt + 1;
    retry.billing_key = subscription.billing_key.value_or("");
    retry.time_to_pay = *decision.retry_at;
    require(store.schedulePayment(retry));
  }
  // (subscription, cycle, failure number): one notice per failure, ever.
  require(store.sendNotice(notice, "notice:billing-failed:sub" + std::to_string(subscription.id) +
                                       ":c" + std::to_string(ref->cycle) + ":f" +
                                       std::to_string(decision.failure_number)));
  if (decision.hard_decline_code) {
    // Retrying cannot fix it: only a new card can.
    NoticeRequest card = notice;
    card.channel = decision.card_channel;
    card.template_code = decision.card_template_code;
    card.recipient_subscription_id = subscription.id;
    require(store.sendNotice(card, "notice:register-card:sub" + std::to_string(subscription.id) +
                                       ":c" + std::to_string(ref->cycle)));
  }
  transaction.commit();
  std::string detail = "failure " + std::to_string(decision.failure_number) + " -> " + outcome +
                       ", " + decision.template_code + " via " + decision.channel;
  if (decision.hard_decline_code) {
    detail += " (hard decline " + *decision.hard_decline_code + "), " +
              decision.card_template_code + " via " + decision.card_channel;
  }
  if (decision.retry_at) detail += ", retry at " + seoulText(*decision.retry_at) + " KST";
  return {Result::kCounted, detail};
}

}  // namespace paymentd::recurring
