// payment_fixture.h: a paid FIRST_BILLING card payment for plan "monthly-4",
// user "42", and the store around it; tests change what they are about.
#pragma once

#include <chrono>

#include "memory_store.h"
#include "paymentd/context.h"

namespace paymentd::testing {

// 2026-01-31T00:00:00Z, i.e. 09:00 on January 31 in Seoul.
inline const Timestamp kNow = Timestamp(std::chrono::seconds(1769817600));

struct PaymentFixture {
  Payment payment;
  Claims claims;
  MemoryStore store;
  WebhookEvent event = WebhookEvent::kTransactionPaid;
  std::optional<std::int64_t> scheduled_amount;  // the host's record, for scheduled ids

  PaymentFixture() {
    payment.id = "pay-1";
    payment.transaction_id = "tx-1";
    payment.store_id = "store-1";
    payment.status = PaymentStatus::kPaid;
    payment.amount.total = 59000;
    payment.amount.paid = 59000;
    payment.currency = "KRW";
    payment.method = PaymentMethodType::kCard;
    payment.card = CardFacts{"VISA", "CREDIT"};
    payment.billing_key = "billing-key-1";
    payment.customer_id = "42";
    payment.paid_at = kNow;
    claims.user_id = "42";
    claims.subscribe_id = "monthly-4";
    claims.payment_type = "FIRST_BILLING";
    store.plans["monthly-4"] = Plan{"monthly-4", "Monthly, 4 lessons", 59000, 1, 4, false};
    store.plans["yearly-8"] = Plan{"yearly-8", "12 months, 8 lessons", 89000, 12, 8, false};
  }

  PaymentContext context() const {
    return PaymentContext{payment, claims, event, kNow, scheduled_amount};
  }

  Subscription liveSubscription(const std::string& plan_id, SubscriptionStatus status) const {
    Subscription s;
    s.id = 7;
    s.user_id = "42";
    s.plan_id = plan_id;
    s.status = status;
    return s;
  }
};

}  // namespace paymentd::testing
