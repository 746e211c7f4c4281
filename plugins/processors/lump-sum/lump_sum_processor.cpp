// lump_sum_processor.cpp: LUMP_SUM pays a plan's N months at once. It creates
// the subscription for the whole span and its N monthly tickets in one batch
// insert, uses the coupon, and schedules nothing: there is no next payment.
#include <string>
#include <vector>

#include "paymentd/calendar.h"
#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;

class LumpSumProcessor final : public paymentd::Processor {
 public:
  explicit LumpSumProcessor(const paymentd::PluginConfig&) {}

  Outcome process(const paymentd::PaymentContext& context,
                  paymentd::StoreWriter& store) const override {
    const auto& claims = context.claims;
    const paymentd::Payment& payment = context.payment;
    if (!claims.user_id || !claims.subscribe_id) {
      return Outcome::rejected("MISSING_CLAIM", "no user_id or subscribe_id");
    }
    auto plan = store.plan(*claims.subscribe_id);
    if (!plan) return plan.error();
    if (!plan->has_value())
      return Outcome::rejected("UNKNOWN_PLAN", "no plan " + *claims.subscribe_id);
    const int months = (*plan)->months;
    if ((*plan)->trial || months < 1) {
      return Outcome::rejected("PLAN_NOT_LUMP_SUM",
                               "plan " + (*plan)->id + " is not sold in months");
    }

    const paymentd::Timestamp start = payment.paid_at.value_or(context.now);
    paymentd::NewSubscription subscription;
    subscription.user_id = *claims.user_id;
    subscription.plan_id = (*plan)->id;
    subscription.billing_key = payment.billing_key;  // kept if the card was registered; unused
    subscription.period_start = start;
    subscription.period_end = paymentd::addMonths(start, months);
    auto subscription_id = store.createSubscription(subscription);
    if (!subscription_id) return subscription_id.error();

    // Each month from the start date, so month i never drifts from month 0.
    std::vector<paymentd::NewTicket> tickets;
    tickets.reserve(static_cast<std::size_t>(months));
    for (int i = 0; i < months; ++i) {
      tickets.push_back(
          paymentd::NewTicket{*subscription_id, payment.id, paymentd::addMonths(start, i),
                              paymentd::addMonths(start, i + 1), (*plan)->lessons_per_month});
    }
    auto issued = store.issueTickets(tickets);
    if (!issued) return issued.error();

    if (claims.coupon_id) return store.useCoupon(*claims.coupon_id, payment.id);
    return Outcome::ok();
  }
};

}  // namespace

PAYMENTD_PLUGIN(LumpSumProcessor,
                {.name = "lump-sum",
                 .version = "1.0.0",
                 .description = "Creates the subscription and all N monthly tickets in one batch"})
