// storage/transaction.h: the unit of work for one payment.
//
// The host opens a Transaction, hands store() to validators and processors,
// records the fulfilment (the unique guard) and commits; destroying it without
// commit() rolls everything back. Owned by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/payment.h"
#include "storage/database.h"
#include "storage/event_outbox.h"
#include "storage/schedule_ledger.h"
#include "storage/sql_store.h"
#include "storage/subscription_records.h"

namespace paymentd::storage {

/// What the payments table keeps of a fulfilled payment.
struct FulfilledPayment {
  std::string payment_id;
  std::string payment_type;
  std::string user_id;
  std::optional<std::string> plan_id;
  std::optional<std::int64_t> subscription_id;
  std::optional<std::string> coupon_id;
  std::int64_t amount = 0;
  std::string currency;
};

/// One counted failure of a renewal attempt (the billing_failures table).
struct BillingFailureRow {
  std::string payment_id;
  std::int64_t subscription_id = 0;
  int cycle = 0;
  int attempt = 0;
  int failure_number = 0;  // the subscription's consecutive failures, this one included
  std::string outcome;     // PAST_DUE or FAILED
  Timestamp at;            // when it was counted, by the caller's clock
};

class Transaction {
 public:
  /// Begins on a pooled connection. A stale session (server restarted since
  /// it was last used) is discarded and the begin retried once: nothing was
  /// sent yet, so that is safe. Throws Transient when the database is down.
  /// kRead for look-ups that write nothing (they then hold no SQLite writer off).
  explicit Transaction(Database& database, Connection::Access access = Connection::Access::kWrite);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  /// The plugin-facing store on this transaction.
  StoreWriter& store() { return store_; }

  /// Tags what this transaction enqueues with the payment it works for, and
  /// stamps the payer's phone number (if PortOne has one) on the subscriptions
  /// it creates or updates.
  void forPayment(const std::string& payment_id,
                  std::optional<std::string> payer_phone = std::nullopt) {
    store_.setPaymentId(payment_id);
    store_.setPayerPhone(std::move(payer_phone));
  }

  /// The schedule ledger in this transaction (storage/schedule_ledger.h):
  /// what paymentd asked PortOne to charge, and which attempt paid a cycle.
  ScheduleLedger& schedules() { return store_.schedules(); }

  /// The host's view of subscriptions in this transaction: lifecycle changes
  /// and their audit trail (storage/subscription_records.h).
  SubscriptionRecords& subscriptions() { return subscriptions_; }

  /// The application's events, enqueued in this transaction (storage/event_outbox.h).
  EventOutbox& events() { return events_; }

  /// The host's own SQL in this transaction (operator refunds).
  Connection& connection() { return *connection_; }

  /// Withdraws a PENDING or SCHEDULED attempt, at PortOne too once this
  /// commits. @return false when it was not pending (then nothing changed).
  bool revokeSchedule(const std::string& payment_id);

  /// The scheduled payment `payment_id` paid its cycle: marks it PAID (throws
  /// Duplicate when another attempt paid the cycle first) and withdraws the
  /// cycle's other pending attempts, at PortOne too once this commits.
  /// @return the attempts withdrawn.
  std::vector<std::string> settleCycle(const ScheduleEntry& paid);

  /// Inserts the payment's row; without a subscription_id, the one the store
  /// says this payment paid for (SqlStore::paidSubscription). Throws Duplicate when the payment was
  /// already fulfilled (by this or another daemon; on PostgreSQL a concurrent insert of the same id
  /// waits for the other transaction and then fails).
  void recordFulfilment(const FulfilledPayment& payment);

  /// Counts a renewal's failure once per payment id: false when it was counted
  /// already (a redelivery), and then nothing was written.
  bool recordBillingFailure(const BillingFailureRow& failure);
  /// Throws Transient when the outcome is unknown (connection lost at commit):
  /// the payment may or may not be fulfilled; isFulfilled() tells later.
  void commit();
  void rollback();

  /// Statements sent on this transaction's connection, BEGIN included.
  std::uint64_t statements() const { return connection_->statements() - statements_at_start_; }

 private:
  Database& database_;
  ConnectionPool::Lease connection_;
  std::uint64_t statements_at_start_ = 0;
  EventOutbox events_;  // before the two that enqueue through it
  SqlStore store_;
  SubscriptionRecords subscriptions_;
};

}  // namespace paymentd::storage
