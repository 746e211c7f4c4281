// billing_processor.cpp: BILLING, a renewal PortOne charged on the schedule a
// previous payment asked for. The payment id names the subscription, cycle and
// attempt (paymentd/outbox.h), so the processor knows which period it pays:
// it issues the ticket for the period after the current one, extends the
// period, resets the failure count, recovers PAST_DUE to ACTIVE and asks for
// the next cycle's schedule at the new period's end.
#include <string>

#include "paymentd/calendar.h"
#include "paymentd/outbox.h"
#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;
using paymentd::SubscriptionStatus;

class BillingProcessor final : public paymentd::Processor {
 public:
  explicit BillingProcessor(const paymentd::PluginConfig&) {}

  Outcome process(const paymentd::PaymentContext& context,
                  paymentd::StoreWriter& store) const override {
    const auto& claims = context.claims;
    const paymentd::Payment& payment = context.payment;
    if (!claims.user_id || !claims.subscribe_id) {
      return Outcome::rejected("MISSING_CLAIM", "no user_id or subscribe_id");
    }
    const auto ref = paymentd::parseScheduledPaymentId(payment.id);
    if (!ref) {
      return Outcome::rejected("NOT_A_SCHEDULED_PAYMENT",
                               "a BILLING payment id must come from a paymentd schedule");
    }
    // The host vouches for the schedules it made; an id that only looks like
    // one renews nothing, whichever validators the YAML lists.
    if (!context.scheduled_amount) {
      return Outcome::rejected("UNKNOWN_SCHEDULE", "paymentd never scheduled " + payment.id);
    }
    auto found = store.subscription(ref->subscription_id);
    if (!found) return found.error();
    if (!found->has_value()) {
      return Outcome::rejected("SUBSCRIPTION_NOT_FOUND",
                               "no subscription " + std::to_string(ref->subscription_id));
    }
    const paymentd::Subscription& subscription = **found;
    // The claims come from the notice URL we built; still, the database decides.
    if (subscription.user_id != *claims.user_id || subscription.plan_id != *claims.subscribe_id) {
      return Outcome::rejected("SUBSCRIPTION_MISMATCH",
                               "the subscription belongs to another user or plan");
    }
    if (subscription.status != SubscriptionStatus::kActive &&
        subscription.status != SubscriptionStatus::kPastDue) {
      return Outcome::rejected("SUBSCRIPTION_NOT_LIVE", "the subscription is FAILED or CANCELLED");
    }
    if (!payment.billing_key || payment.billing_key != subscription.billing_key) {
      return Outcome::rejected("BILLING_KEY_MISMATCH",
                               "the payment's billing key is not the subscription's");
    }
    auto plan = store.plan(subscription.plan_id);
    if (!plan) return plan.error();
    if (!plan->has_value())
      return Outcome::rejected("UNKNOWN_PLAN", "no plan " + subscription.plan_id);
    if ((*plan)->trial || (*plan)->months != 1) {
      return Outcome::rejected("PLAN_NOT_MONTHLY", "plan " + (*plan)->id + " is not monthly");
    }

    // Periods follow each other without gaps, whatever day the retry succeeded;
    // the ticket's (subscription, period start) is unique, so a second charge
    // for the same period cannot produce a second ticket.
    const paymentd::Timestamp start = subscription.period_end;
    const paymentd::Timestamp end = paymentd::addMonths(start, 1);
    auto issued = store.issueTickets(
        {paymentd::NewTicket{subscription.id, payment.id, start, end, (*plan)->lessons_per_month}});
    if (!issued) return issued.error();

    paymentd::SubscriptionUpdate update;
    update.subscription_id = subscription.id;
    update.status = SubscriptionStatus::kActive;
    update.period_end = end;
    update.consecutive_failures = 0;
    Outcome updated = store.updateSubscription(update);
    if (!updated.isOk()) return updated;

    // The next cycle costs what the plan costs now, while this one was charged
    // what it was scheduled for: a price change reaches a subscription one
    // cycle later (docs/operators.md).
    return store.schedulePayment(paymentd::renewalSchedule(subscription.id, ref->cycle + 1,
                                                           subscription.user_id,
                                                           *subscription.billing_key, **plan, end));
  }
};

}  // namespace

PAYMENTD_PLUGIN(BillingProcessor,
                {.name = "billing",
                 .version = "1.2.0",
                 .description = "Renews a subscription for one period; schedules the next"})
