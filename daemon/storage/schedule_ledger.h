// storage/schedule_ledger.h: what paymentd asked PortOne to charge later, one
// row per scheduled payment id (the payment_schedules table, docs/schema.md).
//
// A row is written in the transaction that asks for the schedule, so it exists
// before PortOne can run it, and it is what the outbox worker sends: the amount
// a renewal's payment is checked against cannot disagree with what PortOne was
// asked. The ledger also holds the rule that one cycle of a subscription is
// paid at most once: a partial unique index on (subscription, cycle) of PAID rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/outbox.h"
#include "storage/connection.h"
#include "storage/database.h"
#include "storage/portone_version.h"

namespace paymentd::storage {

enum class ScheduleStatus {
  kPending = 1,  // recorded; the outbox has not yet reached PortOne
  kScheduled,    // PortOne holds the schedule
  kPaid,         // the payment was fulfilled: the cycle is paid
  kFailed,       // PortOne's charge failed (a retry is another attempt, another row)
  kRevoked,      // paymentd withdrew it (another attempt paid the cycle)
  kPaidTwice,    // only from before the guard (schema 7): a cycle charged twice
};

const char* scheduleStatusName(ScheduleStatus status);

struct ScheduleEntry {
  std::string payment_id;
  SchedulePaymentRequest request;
  ScheduleStatus status = ScheduleStatus::kPending;
  std::optional<std::string> portone_schedule_id;  // once PortOne accepted it
  std::optional<std::string> notice_url;           // fixed at the first send
  /// The API the schedule goes through: its subscription's when it was recorded.
  PortOneVersion portone_version = PortOneVersion::kV2;
};

/// The ledger on one connection: inside the caller's transaction, if any.
class ScheduleLedger {
 public:
  ScheduleLedger(Connection& connection, Clock clock)
      : connection_(connection), clock_(std::move(clock)) {}

  /// Only for the schema 7 backfill: its rows are written before schema 12 adds
  /// portone_version, so they take its default (V2, all there was then).
  struct BeforeVersions {};
  ScheduleLedger(Connection& connection, Clock clock, BeforeVersions)
      : connection_(connection), clock_(std::move(clock)), before_versions_(true) {}

  /// Records `request` as PENDING. @return false when its payment id was
  /// recorded already (then nothing changed). It goes through the PortOne API of
  /// its subscription's billing key (subscriptions.portone_version). Throws Invalid for a request
  /// without subscription, cycle, attempt, billing key or a positive amount.
  bool record(const SchedulePaymentRequest& request);
  std::optional<ScheduleEntry> find(const std::string& payment_id);
  /// The attempt that paid `cycle` of `subscription_id`, if one did.
  std::optional<std::string> paidAttempt(std::int64_t subscription_id, int cycle);
  /// Marks the attempt PAID; throws Duplicate when another attempt of its
  /// cycle is PAID (on PostgreSQL after the other transaction commits).
  void markPaid(const std::string& payment_id);
  /// PENDING or SCHEDULED -> FAILED. @return whether it changed.
  bool markFailed(const std::string& payment_id);
  /// Withdraws the cycle's PENDING and SCHEDULED attempts other than
  /// `except`. @return the payment ids now REVOKED.
  std::vector<std::string> revokeOtherAttempts(std::int64_t subscription_id, int cycle,
                                               const std::string& except);
  /// The subscription's attempts still to run (PENDING or SCHEDULED), oldest first.
  std::vector<ScheduleEntry> pendingOf(std::int64_t subscription_id);
  /// The subscription's latest attempt (highest cycle, then attempt), if any.
  std::optional<ScheduleEntry> latestOf(std::int64_t subscription_id);
  /// PENDING or SCHEDULED -> REVOKED. @return whether it changed.
  bool revoke(const std::string& payment_id);
  /// PortOne accepted the schedule as `schedule_id`: keeps the id (a revoke
  /// needs it), and PENDING becomes SCHEDULED.
  void markAccepted(const std::string& payment_id, const std::optional<std::string>& schedule_id);
  /// The notice URL every send of this schedule carries: `url` unless an
  /// earlier send (perhaps by a daemon with another public URL) fixed one.
  std::string fixNoticeUrl(const std::string& payment_id, const std::string& url);

 private:
  Connection& connection_;
  Clock clock_;
  bool before_versions_ = false;
};

/// The ledger outside any payment's transaction (the outbox worker's reads and
/// marks), each call one short statement on a pooled connection.
std::optional<ScheduleEntry> findSchedule(Database& database, const std::string& payment_id);
void markScheduleAccepted(Database& database, const std::string& payment_id,
                          const std::optional<std::string>& schedule_id);
std::string fixScheduleNoticeUrl(Database& database, const std::string& payment_id,
                                 const std::string& url);

}  // namespace paymentd::storage
