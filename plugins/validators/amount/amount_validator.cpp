// amount_validator.cpp: the paid total must be the plan's price for its months,
// less the user's coupon (never below zero), in KRW. A payment paymentd
// scheduled itself (a renewal, or its retry) must instead be exactly the amount
// the schedule asked PortOne to charge: the plan's price may have changed since,
// and coupons never apply to scheduled payments.
#include <algorithm>
#include <string>

#include "paymentd/outbox.h"
#include "paymentd/plugin.h"

namespace {

using paymentd::Outcome;

class AmountValidator final : public paymentd::Validator {
 public:
  explicit AmountValidator(const paymentd::PluginConfig& config)
      : currency_(config.getString("currency", "KRW")) {}

  Outcome validate(const paymentd::PaymentContext& context,
                   const paymentd::StoreReader& store) const override {
    if (context.event != paymentd::WebhookEvent::kTransactionPaid) return Outcome::ok();
    const paymentd::Payment& payment = context.payment;
    if (payment.currency != currency_) {
      return Outcome::rejected("CURRENCY_MISMATCH",
                               "paid in " + payment.currency + ", expected " + currency_);
    }
    if (context.scheduled_amount) return checkScheduled(payment, *context.scheduled_amount);
    if (paymentd::parseScheduledPaymentId(payment.id)) {
      // Only paymentd makes such ids, and it recorded every one it made: this
      // payment borrows the pattern, and no price can be trusted for it.
      return Outcome::rejected("UNKNOWN_SCHEDULE", "payment id " + payment.id +
                                                       " looks scheduled, but paymentd never "
                                                       "scheduled it");
    }
    if (!context.claims.subscribe_id) return Outcome::rejected("MISSING_CLAIM", "no subscribe_id");
    auto plan = store.plan(*context.claims.subscribe_id);
    if (!plan) return plan.error();
    if (!plan->has_value()) {
      return Outcome::rejected("UNKNOWN_PLAN", "no plan '" + *context.claims.subscribe_id + "'");
    }
    const std::int64_t list_price = (*plan)->price * (*plan)->months;
    std::int64_t discount = 0;
    if (context.claims.coupon_id) {
      auto coupon = couponDiscount(context, store);
      if (!coupon) return coupon.error();
      discount = *coupon;
    }
    const std::int64_t expected = std::max<std::int64_t>(0, list_price - discount);
    if (payment.amount.total != expected) {
      return Outcome::rejected("AMOUNT_MISMATCH", "paid " + std::to_string(payment.amount.total) +
                                                      ", expected " + std::to_string(expected) +
                                                      " (plan " + (*plan)->id + ": " +
                                                      std::to_string(list_price) + " less coupon " +
                                                      std::to_string(discount) + ")");
    }
    return Outcome::ok();
  }

 private:
  static Outcome checkScheduled(const paymentd::Payment& payment, std::int64_t scheduled) {
    if (payment.amount.total == scheduled) return Outcome::ok();
    return Outcome::rejected("AMOUNT_MISMATCH", "paid " + std::to_string(payment.amount.total) +
                                                    ", expected " + std::to_string(scheduled) +
                                                    " (the amount paymentd scheduled)");
  }

  // The coupon must exist, be the user's, unexpired, and unused (or used by
  // this very payment, which is a redelivery).
  static paymentd::Result<std::int64_t> couponDiscount(const paymentd::PaymentContext& context,
                                                       const paymentd::StoreReader& store) {
    const std::string& id = *context.claims.coupon_id;
    auto coupon = store.coupon(id);
    if (!coupon) return coupon.error();
    if (!coupon->has_value())
      return Outcome::rejected("COUPON_NOT_FOUND", "no coupon '" + id + "'");
    const paymentd::Coupon& c = **coupon;
    if (!context.claims.user_id || c.user_id != *context.claims.user_id) {
      return Outcome::rejected("COUPON_NOT_OWNED", "coupon '" + id + "' belongs to another user");
    }
    if (c.used_by_payment_id && *c.used_by_payment_id != context.payment.id) {
      return Outcome::rejected("COUPON_ALREADY_USED", "coupon '" + id + "' was used already");
    }
    if (c.expires_at && *c.expires_at < context.now) {
      return Outcome::rejected("COUPON_EXPIRED", "coupon '" + id + "' has expired");
    }
    return c.discount;
  }

  std::string currency_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"currency", paymentd::ConfigKey::kOptional, "the only accepted currency (default KRW)"},
};

}  // namespace

PAYMENTD_PLUGIN(AmountValidator,
                {.name = "amount",
                 .version = "1.1.0",
                 .description = "Paid total equals plan price x months less the coupon (a "
                                "scheduled payment: the scheduled amount), in KRW",
                 .config_keys = kConfigKeys})
