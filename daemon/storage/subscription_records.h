// storage/subscription_records.h: what the host (never a plugin) reads and
// changes of a subscription in its lifecycle: cancellation, card, tickets,
// and the audit trail of who changed it and why (docs/operators.md).
//
// Works on one connection, inside the caller's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/store.h"
#include "storage/connection.h"
#include "storage/database.h"
#include "storage/event_outbox.h"
#include "storage/portone_version.h"

namespace paymentd::storage {

/// A subscription as plugins see it plus the host's lifecycle columns; the
/// billing key never leaves the host.
struct SubscriptionRecord : Subscription {
  bool cancel_at_period_end = false;
  /// Why paymentd itself set the cancel at period end (BILLING_KEY_DELETED);
  /// nullopt for an operator's.
  std::optional<std::string> cancel_reason;
  std::optional<Timestamp> cancelled_at;
  std::optional<std::string> card_last_digits;
  PortOneVersion portone_version = PortOneVersion::kV2;  // of the billing key
};

/// One line of a subscription's audit trail.
struct SubscriptionEvent {
  std::int64_t subscription_id = 0;
  Timestamp at;
  std::string action;  // cancel, cancel_at_period_end, resume, card, retry, refund, period_end
  std::string actor;   // who asked (X-Actor, the CLI's user, or "paymentd")
  std::string reason;
  std::string detail;  // what was done, one line
};

class SubscriptionRecords {
 public:
  /// `events`: where cancellations, card changes and status changes are told.
  SubscriptionRecords(Connection& connection, Clock clock, EventOutbox& events)
      : connection_(connection), clock_(std::move(clock)), events_(events) {}

  std::optional<SubscriptionRecord> find(std::int64_t id);
  /// find(), and on PostgreSQL the row stays locked until the transaction
  /// ends, so an operator's change and a payment of the same subscription
  /// take turns (SQLite has one writer anyway).
  std::optional<SubscriptionRecord> lock(std::int64_t id);
  /// Newest first.
  std::vector<SubscriptionRecord> ofUser(const std::string& user_id);

  /// `reason`: why paymentd set it itself; nullopt for an operator's (and to undo).
  void setCancelAtPeriodEnd(std::int64_t id, bool cancel,
                            const std::optional<std::string>& reason = std::nullopt);
  /// CANCELLED now; the pending cancel at period end is done with.
  void cancel(std::int64_t id);
  void setStatus(std::int64_t id, SubscriptionStatus status);
  /// The new key is a V2 billing key: a V1 subscription is V2 from now on.
  void changeCard(std::int64_t id, const std::string& billing_key,
                  const std::optional<std::string>& card_last_digits);

  /// Revokes the subscription's tickets for periods starting after `after`.
  /// @return how many were revoked now.
  std::int64_t revokeTicketsAfter(std::int64_t id, Timestamp after);
  /// Revokes every ticket `payment_id` issued. @return how many were revoked now.
  std::int64_t revokeTicketsOf(const std::string& payment_id);

  /// Whether `payment_id` issued a ticket for a period not yet over.
  bool paysPeriodAfter(const std::string& payment_id, Timestamp now);

  /// When its renewal failures made it FAILED (the last time), if they did.
  std::optional<Timestamp> failedAt(std::int64_t id);

  /// The subscription `subscription import` made of this V1 customer_uid for this
  /// user and plan, in any status.
  std::optional<std::int64_t> findImported(const std::string& user_id, const std::string& plan_id,
                                           const std::string& customer_uid);
  /// Its billing key is a V1 customer_uid: its schedules go through V1.
  void setPortOneV1(std::int64_t id);
  /// ACTIVE and PAST_DUE subscriptions that renew on `billing_key`.
  std::vector<std::int64_t> liveOnBillingKey(const std::string& billing_key);

  /// Live subscriptions set to cancel at period end whose period has ended.
  std::vector<std::int64_t> dueCancellations(Timestamp now, std::size_t limit);

  void record(const SubscriptionEvent& event);
  /// In the order they were written.
  std::vector<SubscriptionEvent> events(std::int64_t id);

 private:
  std::vector<SubscriptionRecord> read(const std::string& where_and_after,
                                       const std::function<void(Poco::Data::Statement&)>& bind_key);

  // Tells `type` for subscription `id` as it is now (after the change).
  void tell(const char* type, std::int64_t id);

  Connection& connection_;
  Clock clock_;
  EventOutbox& events_;
};

}  // namespace paymentd::storage
