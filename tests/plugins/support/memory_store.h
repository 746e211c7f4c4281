// plugin_support/memory_store.h: an in-memory StoreWriter for testing plugins
// through the SDK alone (no daemon code, no database). It keeps the uniqueness
// rules the real store enforces, so a plugin sees the same DUPLICATE outcomes.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/outbox.h"
#include "paymentd/store.h"

namespace paymentd::testing {

class MemoryStore final : public StoreWriter {
 public:
  std::map<std::string, Plan> plans;
  std::vector<Subscription> subscriptions;
  std::map<std::string, Coupon> coupons;
  std::map<std::string, LevelTest> level_tests;
  std::vector<std::string> fulfilled_payments;
  std::vector<NewTicket> tickets;
  std::vector<NewLesson> lessons;
  std::vector<OutboxItem> outbox;                 // API 1.0/1.1 enqueues
  std::vector<SchedulePaymentRequest> schedules;  // schedulePayment(), in order
  std::map<std::string, NoticeRequest> notices;   // sendNotice(), by dedupe key
  int ticket_batches = 0;  // issueTickets calls: one per batch statement in the real store

  Result<std::optional<Plan>> plan(const std::string& plan_id) const override {
    auto it = plans.find(plan_id);
    return it == plans.end() ? std::optional<Plan>() : std::optional<Plan>(it->second);
  }
  Result<std::optional<Subscription>> subscription(std::int64_t id) const override {
    for (const auto& s : subscriptions) {
      if (s.id == id) return std::optional<Subscription>(s);
    }
    return std::optional<Subscription>();
  }
  Result<std::optional<Subscription>> currentSubscription(
      const std::string& user_id, const std::string& plan_id) const override {
    for (const auto& s : subscriptions) {
      if (s.user_id == user_id && s.plan_id == plan_id && isLive(s.status)) {
        return std::optional<Subscription>(s);
      }
    }
    return std::optional<Subscription>();
  }
  Result<std::optional<Coupon>> coupon(const std::string& coupon_id) const override {
    auto it = coupons.find(coupon_id);
    return it == coupons.end() ? std::optional<Coupon>() : std::optional<Coupon>(it->second);
  }
  Result<std::optional<LevelTest>> levelTest(const std::string& user_id) const override {
    auto it = level_tests.find(user_id);
    return it == level_tests.end() ? std::optional<LevelTest>()
                                   : std::optional<LevelTest>(it->second);
  }
  Result<bool> hadTrial(const std::string& user_id) const override {
    return std::any_of(subscriptions.begin(), subscriptions.end(),
                       [&](const Subscription& s) { return s.user_id == user_id && s.trial; });
  }
  Result<bool> isFulfilled(const std::string& payment_id) const override {
    return std::find(fulfilled_payments.begin(), fulfilled_payments.end(), payment_id) !=
           fulfilled_payments.end();
  }

  Result<std::int64_t> createSubscription(const NewSubscription& n) override {
    if (!n.trial && currentSubscription(n.user_id, n.plan_id).value()) {
      return Outcome::rejected(kDuplicateCode, "live subscription exists");
    }
    if (n.trial && hadTrial(n.user_id).value())
      return Outcome::rejected(kDuplicateCode, "trial exists");
    Subscription s;
    s.id = static_cast<std::int64_t>(subscriptions.size()) + 1;
    s.user_id = n.user_id;
    s.plan_id = n.plan_id;
    s.trial = n.trial;
    s.billing_key = n.billing_key;
    s.period_start = n.period_start;
    s.period_end = n.period_end;
    s.level = n.level;
    subscriptions.push_back(s);
    return s.id;
  }
  Outcome updateSubscription(const SubscriptionUpdate& u) override {
    for (auto& s : subscriptions) {
      if (s.id != u.subscription_id) continue;
      if (u.status) s.status = *u.status;
      if (u.period_end) s.period_end = *u.period_end;
      if (u.consecutive_failures) s.consecutive_failures = *u.consecutive_failures;
      if (u.billing_key) s.billing_key = u.billing_key;
      if (u.level) s.level = u.level;
      return Outcome::ok();
    }
    return Outcome::rejected("SUBSCRIPTION_NOT_FOUND",
                             "no subscription " + std::to_string(u.subscription_id));
  }
  Result<std::int64_t> issueTickets(const std::vector<NewTicket>& batch) override {
    for (const auto& t : batch) {
      for (const auto& existing : tickets) {
        if (existing.subscription_id == t.subscription_id &&
            existing.period_start == t.period_start) {
          return Outcome::rejected(kDuplicateCode, "ticket for this period exists");
        }
      }
    }
    ++ticket_batches;
    tickets.insert(tickets.end(), batch.begin(), batch.end());
    return static_cast<std::int64_t>(batch.size());
  }
  Result<std::int64_t> reserveLesson(const NewLesson& lesson) override {
    lessons.push_back(lesson);
    return static_cast<std::int64_t>(lessons.size());
  }
  Outcome useCoupon(const std::string& coupon_id, const std::string& payment_id) override {
    auto it = coupons.find(coupon_id);
    if (it == coupons.end()) return Outcome::rejected("COUPON_NOT_FOUND", coupon_id);
    if (it->second.used_by_payment_id) return Outcome::rejected(kDuplicateCode, "coupon used");
    it->second.used_by_payment_id = payment_id;
    return Outcome::ok();
  }
  Outcome enqueueOutbox(const OutboxItem& item) override {
    for (const auto& existing : outbox) {
      if (existing.dedupe_key == item.dedupe_key) return Outcome::ok();  // a no-op, as documented
    }
    outbox.push_back(item);
    return Outcome::ok();
  }
  Outcome schedulePayment(const SchedulePaymentRequest& request) override {
    const std::string id =
        scheduledPaymentId(request.subscription_id, request.cycle, request.attempt);
    for (const auto& existing : schedules) {
      if (scheduledPaymentId(existing.subscription_id, existing.cycle, existing.attempt) == id) {
        return Outcome::ok();  // a no-op, as documented
      }
    }
    if (request.subscription_id <= 0 || request.cycle <= 0 || request.attempt <= 0 ||
        request.billing_key.empty() || request.amount <= 0) {
      return Outcome::rejected("STORE_INVALID", "incomplete schedule " + id);
    }
    schedules.push_back(request);
    return Outcome::ok();
  }
  Outcome sendNotice(const NoticeRequest& notice, const std::string& dedupe_key) override {
    notices.emplace(dedupe_key, notice);  // a second one under the key is a no-op
    return Outcome::ok();
  }

 private:
  static bool isLive(SubscriptionStatus status) {
    return status == SubscriptionStatus::kActive || status == SubscriptionStatus::kPastDue;
  }
};

}  // namespace paymentd::testing
