// storage/sql_store.h: the plugin-facing StoreWriter, on one open transaction.
//
// Every method turns storage exceptions into values at the plugin boundary:
// Duplicate -> Outcome::rejected(kDuplicateCode), Invalid -> rejected
// STORE_INVALID, Transient and anything else -> Outcome::transient. Nothing
// is thrown to the plugin.
#pragma once

#include <functional>

#include "paymentd/store.h"
#include "storage/connection.h"
#include "storage/database.h"
#include "storage/event_outbox.h"
#include "storage/schedule_ledger.h"

namespace paymentd::storage {

class SqlStore final : public StoreWriter {
 public:
  /// `events`: where the subscription changes it makes are told (storage/event_outbox.h).
  SqlStore(Connection& connection, Clock clock, EventOutbox& events)
      : connection_(connection),
        events_(events),
        clock_(std::move(clock)),
        ledger_(connection, clock_) {}

  /// The payment this transaction works for; outbox items are tagged with it,
  /// so `paymentd trace` can show what a payment set in motion.
  void setPaymentId(std::string payment_id) { payment_id_ = std::move(payment_id); }

  /// The paying customer's phone number (PortOne's customer.phoneNumber). Every
  /// subscription this transaction creates or updates keeps it as its notice
  /// recipient; plugins never see it. nullopt leaves stored numbers as they are.
  void setPayerPhone(std::optional<std::string> phone) { payer_phone_ = std::move(phone); }

  /// The subscription this transaction's payment paid for: the last one it
  /// created or updated (payments.subscription_id). nullopt: none.
  std::optional<std::int64_t> paidSubscription() const { return paid_subscription_; }

  Result<std::optional<Plan>> plan(const std::string& plan_id) const override;
  Result<std::optional<Subscription>> subscription(std::int64_t subscription_id) const override;
  Result<std::optional<Subscription>> currentSubscription(
      const std::string& user_id, const std::string& plan_id) const override;
  Result<std::optional<Coupon>> coupon(const std::string& coupon_id) const override;
  Result<std::optional<LevelTest>> levelTest(const std::string& user_id) const override;
  Result<bool> hadTrial(const std::string& user_id) const override;
  Result<bool> isFulfilled(const std::string& payment_id) const override;

  Result<std::int64_t> createSubscription(const NewSubscription& subscription) override;
  Outcome updateSubscription(const SubscriptionUpdate& update) override;
  Result<std::int64_t> issueTickets(const std::vector<NewTicket>& tickets) override;
  Result<std::int64_t> reserveLesson(const NewLesson& lesson) override;
  Outcome useCoupon(const std::string& coupon_id, const std::string& payment_id) override;
  Outcome enqueueOutbox(const OutboxItem& item) override;
  Outcome schedulePayment(const SchedulePaymentRequest& request) override;
  Outcome sendNotice(const NoticeRequest& notice, const std::string& dedupe_key) override;

  /// Host only: withdraws `payment_id`'s schedule at PortOne after the commit.
  void enqueueRevocation(const std::string& payment_id);

  /// The schedule ledger on this transaction.
  ScheduleLedger& schedules() { return ledger_; }

 private:
  // Inserts one outbox item; a repeated dedupe key changes nothing.
  void insertOutbox(const OutboxItem& item);
  // Remembers a subscription's next scheduled payment (the reconciler's lead).
  void noteNextPayment(const SchedulePaymentRequest& schedule);
  std::optional<Subscription> readSubscription(
      const std::string& where, const std::function<void(Poco::Data::Statement&)>& bind_keys) const;

  // The payment this transaction works for, if any.
  std::optional<std::string> paymentId() const;

  Connection& connection_;
  EventOutbox& events_;
  std::string payment_id_;  // empty: none
  std::optional<std::string> payer_phone_;
  std::optional<std::int64_t> paid_subscription_;
  Clock clock_;
  ScheduleLedger ledger_;  // after clock_: built from it
};

/// The Outcome a storage exception becomes at the plugin boundary.
Outcome outcomeOf(const Error& error);

}  // namespace paymentd::storage
