// first_billing_processor.cpp: FIRST_BILLING creates the subscription with the
// payment's billing key, issues the first month's ticket, applies the user's
// level test, uses the coupon, and asks (through the outbox) for the next
// payment to be scheduled at the period's end.
#include <string>

#include "paymentd/calendar.h"
#include "paymentd/outbox.h"
#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;

class FirstBillingProcessor final : public paymentd::Processor {
 public:
  explicit FirstBillingProcessor(const paymentd::PluginConfig&) {}

  Outcome process(const paymentd::PaymentContext& context,
                  paymentd::StoreWriter& store) const override {
    const auto& claims = context.claims;
    const paymentd::Payment& payment = context.payment;
    if (!claims.user_id || !claims.subscribe_id) {
      return Outcome::rejected("MISSING_CLAIM", "no user_id or subscribe_id");
    }
    if (!payment.billing_key) return Outcome::rejected("MISSING_BILLING_KEY", "no billing key");
    auto plan = store.plan(*claims.subscribe_id);
    if (!plan) return plan.error();
    if (!plan->has_value())
      return Outcome::rejected("UNKNOWN_PLAN", "no plan " + *claims.subscribe_id);
    // A lump sum or a trial has processors of its own: charged here, it would
    // be one month of a plan sold for several, renewed monthly.
    if ((*plan)->trial || (*plan)->months != 1) {
      return Outcome::rejected("PLAN_NOT_MONTHLY", "plan " + (*plan)->id + " is not monthly");
    }
    auto level = store.levelTest(*claims.user_id);
    if (!level) return level.error();

    const paymentd::Timestamp start = payment.paid_at.value_or(context.now);
    const paymentd::Timestamp end = paymentd::addMonths(start, 1);
    paymentd::NewSubscription subscription;
    subscription.user_id = *claims.user_id;
    subscription.plan_id = (*plan)->id;
    subscription.billing_key = payment.billing_key;
    subscription.period_start = start;
    subscription.period_end = end;
    if (level->has_value()) subscription.level = (*level)->level;
    auto subscription_id = store.createSubscription(subscription);
    if (!subscription_id) return subscription_id.error();

    auto issued = store.issueTickets({paymentd::NewTicket{*subscription_id, payment.id, start, end,
                                                          (*plan)->lessons_per_month}});
    if (!issued) return issued.error();

    if (claims.coupon_id) {
      Outcome used = store.useCoupon(*claims.coupon_id, payment.id);
      if (!used.isOk()) return used;
    }

    return store.schedulePayment(paymentd::renewalSchedule(*subscription_id, 1, *claims.user_id,
                                                           *payment.billing_key, **plan, end));
  }
};

}  // namespace

PAYMENTD_PLUGIN(FirstBillingProcessor,
                {.name = "first-billing",
                 .version = "1.2.0",
                 .description = "Creates the subscription and first ticket; schedules the renewal"})
