// paymentd/store.h: the database as plugins see it.
//
// The host implements these interfaces on the transaction it opened for the
// current payment; plugins never see SQL, sessions or connections. Everything a
// StoreWriter writes commits or rolls back with the payment as one unit.
// An instance is handed to one call on one thread and must not be kept after
// the call returns.
//
// Failures come back as values: Outcome::transient for outages (the host
// answers 503 and refunds nothing) and Outcome::rejected with code DUPLICATE
// when a write would break a uniqueness rule (one fulfilment per payment, one
// live subscription per user and plan, one use per coupon, one ticket per
// subscription and period). A plugin normally returns such an Outcome as is.
//
// New functions are only ever appended at the end of each class (minor bump).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/outcome.h"
#include "paymentd/payment.h"
#include "paymentd/result.h"

namespace paymentd {

/// The uniqueness failure code a store write returns.
inline constexpr const char* kDuplicateCode = "DUPLICATE";

struct Plan {
  std::string id;
  std::string name;
  std::int64_t price = 0;  // KRW per month
  int months = 1;          // 1 for monthly; N for a lump sum charging price * N
  int lessons_per_month = 0;
  bool trial = false;
};

enum class SubscriptionStatus { kActive = 1, kPastDue, kFailed, kCancelled };

struct Subscription {
  std::int64_t id = 0;
  std::string user_id;
  std::string plan_id;
  SubscriptionStatus status = SubscriptionStatus::kActive;
  bool trial = false;
  std::optional<std::string> billing_key;
  Timestamp period_start;
  Timestamp period_end;
  int consecutive_failures = 0;
  std::optional<std::string> level;
};

struct Coupon {
  std::string id;
  std::string user_id;
  std::int64_t discount = 0;  // KRW off the total
  std::optional<std::string> used_by_payment_id;
  std::optional<Timestamp> expires_at;
};

struct LevelTest {
  std::string user_id;
  std::string level;
  Timestamp taken_at;
};

struct NewSubscription {
  std::string user_id;
  std::string plan_id;
  bool trial = false;
  std::optional<std::string> billing_key;
  Timestamp period_start;
  Timestamp period_end;
  std::optional<std::string> level;
};

/// Fields left empty are not changed.
struct SubscriptionUpdate {
  std::int64_t subscription_id = 0;
  std::optional<SubscriptionStatus> status;
  std::optional<Timestamp> period_end;
  std::optional<int> consecutive_failures;
  std::optional<std::string> billing_key;
  std::optional<std::string> level;
};

struct NewTicket {
  std::int64_t subscription_id = 0;
  std::string payment_id;
  Timestamp period_start;
  Timestamp period_end;
  int lessons = 0;
};

struct NewLesson {
  std::int64_t subscription_id = 0;
  std::string user_id;
  std::string kind;  // e.g. "TRIAL"
  std::optional<Timestamp> starts_at;
};

struct SchedulePaymentRequest;  // paymentd/outbox.h
struct NoticeRequest;           // paymentd/outbox.h

/// Work for after the commit in the host's own format: what plugins built
/// against API 1.0 and 1.1 enqueue (paymentd/outbox.h's toOutboxItem()). Since
/// 1.2 a plugin asks with StoreWriter::schedulePayment and sendNotice instead.
struct OutboxItem {
  std::string kind;        // "notify" or "schedule_payment"
  std::string dedupe_key;  // unique across all items, e.g. "schedule:sub-12:cycle-3"
  std::string payload;     // JSON object, schema per kind (docs/plugins.md)
  Timestamp due_at;
};

/// What validators read. All reads see the current transaction.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  virtual Result<std::optional<Plan>> plan(const std::string& plan_id) const = 0;
  virtual Result<std::optional<Subscription>> subscription(std::int64_t subscription_id) const = 0;
  /// The user's ACTIVE or PAST_DUE subscription to the plan, if any.
  virtual Result<std::optional<Subscription>> currentSubscription(
      const std::string& user_id, const std::string& plan_id) const = 0;
  virtual Result<std::optional<Coupon>> coupon(const std::string& coupon_id) const = 0;
  virtual Result<std::optional<LevelTest>> levelTest(const std::string& user_id) const = 0;
  /// Whether the user ever had a trial subscription, in any status.
  virtual Result<bool> hadTrial(const std::string& user_id) const = 0;
  /// Whether this payment id was already fulfilled (committed by any daemon).
  virtual Result<bool> isFulfilled(const std::string& payment_id) const = 0;
};

/// What processors write, on the payment's transaction.
class StoreWriter : public StoreReader {
 public:
  /// @return the new subscription's id.
  virtual Result<std::int64_t> createSubscription(const NewSubscription& subscription) = 0;
  virtual Outcome updateSubscription(const SubscriptionUpdate& update) = 0;
  /// Inserts all tickets in one batch statement. @return how many were inserted.
  virtual Result<std::int64_t> issueTickets(const std::vector<NewTicket>& tickets) = 0;
  /// @return the new lesson's id.
  virtual Result<std::int64_t> reserveLesson(const NewLesson& lesson) = 0;
  /// Marks the coupon used by this payment; DUPLICATE if it was used already.
  virtual Outcome useCoupon(const std::string& coupon_id, const std::string& payment_id) = 0;
  /// Since API 1.2: use schedulePayment() or sendNotice(). Still carried out
  /// for plugins built before; a schedule_payment item is recorded exactly as
  /// schedulePayment() records it, and an unreadable one is rejected.
  virtual Outcome enqueueOutbox(const OutboxItem& item) = 0;

  // API 1.2 ---------------------------------------------------------------

  /// Asks PortOne to charge `request.billing_key` at `request.time_to_pay`
  /// under scheduledPaymentId(subscription, cycle, attempt). The host records
  /// the schedule in its ledger (what the renewal's payment is later checked
  /// against: PaymentContext::scheduled_amount) and sends it after the commit;
  /// asking twice for the same subscription, cycle and attempt is a no-op.
  /// Rejected STORE_INVALID for a request without subscription, cycle,
  /// attempt, billing key or a positive amount.
  virtual Outcome schedulePayment(const SchedulePaymentRequest& request) = 0;
  /// Sends `notice` through the notifier of its channel after the commit.
  /// `dedupe_key` is unique per notice (e.g. "notice:PAYMENT_FAILED:sub-12:c3:a2"):
  /// a second notice under the same key is a no-op.
  virtual Outcome sendNotice(const NoticeRequest& notice, const std::string& dedupe_key) = 0;
};

}  // namespace paymentd
