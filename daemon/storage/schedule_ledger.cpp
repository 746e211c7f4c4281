#include "storage/schedule_ledger.h"

#include <Poco/Nullable.h>

#include "storage/errors.h"
#include "storage/nullable_codec.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

ScheduleStatus statusFrom(const std::string& name) {
  for (ScheduleStatus status :
       {ScheduleStatus::kPending, ScheduleStatus::kScheduled, ScheduleStatus::kPaid,
        ScheduleStatus::kFailed, ScheduleStatus::kRevoked, ScheduleStatus::kPaidTwice}) {
    if (name == scheduleStatusName(status)) return status;
  }
  throw Error("unknown schedule status '" + name + "' in the database");
}

std::string invalidReason(const SchedulePaymentRequest& r) {
  if (r.subscription_id <= 0 || r.cycle <= 0 || r.attempt <= 0) {
    return "a schedule needs a subscription, a cycle and an attempt (all positive)";
  }
  if (r.billing_key.empty()) return "a schedule needs a billing key";
  if (r.amount <= 0) return "a schedule needs a positive amount";
  return "";
}

// `work(ledger)` as one short statement or two on a pooled connection, outside
// any payment's transaction; each is safe to repeat on a stale session.
template <typename Work>
auto onLedger(Database& database, Work&& work) {
  return database.withConnection(
      [&](Connection& connection) {
        ScheduleLedger ledger(connection, [&database] { return database.now(); });
        return work(ledger);
      },
      true);
}

}  // namespace

const char* scheduleStatusName(ScheduleStatus status) {
  switch (status) {
    case ScheduleStatus::kPending:
      return "PENDING";
    case ScheduleStatus::kScheduled:
      return "SCHEDULED";
    case ScheduleStatus::kPaid:
      return "PAID";
    case ScheduleStatus::kFailed:
      return "FAILED";
    case ScheduleStatus::kRevoked:
      return "REVOKED";
    case ScheduleStatus::kPaidTwice:
      return "PAID_TWICE";
  }
  return "PENDING";
}

bool ScheduleLedger::record(const SchedulePaymentRequest& r) {
  if (const std::string reason = invalidReason(r); !reason.empty()) throw Invalid(reason);
  const std::string payment_id = scheduledPaymentId(r.subscription_id, r.cycle, r.attempt);
  // The schema 7 backfill writes rows before schema 12 adds portone_version (DEFAULT V2).
  const std::string version_column = before_versions_ ? "" : ", portone_version";
  const std::string version_value =
      before_versions_ ? ""
                       : ", COALESCE((SELECT portone_version FROM subscriptions WHERE id = $2), "
                         "'V2')";
  return connection_.execute(
             "INSERT INTO payment_schedules (payment_id, subscription_id, cycle, attempt, "
             "user_id, plan_id, billing_key, amount, currency, order_name, time_to_pay_us, "
             "status, created_at_us, updated_at_us" +
                 version_column +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'PENDING', $12, $12" +
                 version_value + ") ON CONFLICT (payment_id) DO NOTHING",
             {payment_id, Poco::Int64{r.subscription_id}, Poco::Int64{r.cycle},
              Poco::Int64{r.attempt}, r.user_id, r.plan_id, r.billing_key, Poco::Int64{r.amount},
              r.currency, r.order_name, toMicros(r.time_to_pay), toMicros(clock_())}) > 0;
}

std::optional<ScheduleEntry> ScheduleLedger::find(const std::string& payment_id) {
  ScheduleEntry entry;
  SchedulePaymentRequest& r = entry.request;
  Poco::Int64 subscription = 0;
  Poco::Int64 cycle = 0;
  Poco::Int64 attempt = 0;
  Poco::Int64 time_to_pay = 0;
  std::string status;
  Poco::Nullable<std::string> schedule_id;
  Poco::Nullable<std::string> notice_url;
  std::string version;
  const std::size_t rows = connection_.run(
      "SELECT subscription_id, cycle, attempt, user_id, plan_id, billing_key, amount, currency, "
      "order_name, time_to_pay_us, status, portone_schedule_id, notice_url, portone_version FROM "
      "payment_schedules "
      "WHERE payment_id = $1",
      [&](Statement& s) {
        s, useRef(payment_id), into(subscription), into(cycle), into(attempt), into(r.user_id),
            into(r.plan_id), into(r.billing_key), into(r.amount), into(r.currency),
            into(r.order_name), into(time_to_pay), into(status), into(schedule_id),
            into(notice_url), into(version);
      });
  if (rows == 0) return std::nullopt;
  entry.payment_id = payment_id;
  r.subscription_id = subscription;
  r.cycle = static_cast<int>(cycle);
  r.attempt = static_cast<int>(attempt);
  r.time_to_pay = fromMicros(time_to_pay);
  entry.status = statusFrom(status);
  entry.portone_schedule_id = fromNullable(schedule_id);
  entry.notice_url = fromNullable(notice_url);
  entry.portone_version = portOneVersionFrom(version);
  return entry;
}

std::optional<std::string> ScheduleLedger::paidAttempt(std::int64_t subscription_id, int cycle) {
  std::string payment_id;
  const std::size_t rows = connection_.run(
      "SELECT payment_id FROM payment_schedules WHERE subscription_id = $1 AND cycle = $2 AND "
      "status = 'PAID'",
      [&](Statement& s) {
        s, bind(Poco::Int64{subscription_id}), bind(Poco::Int64{cycle}), into(payment_id);
      });
  if (rows == 0) return std::nullopt;
  return payment_id;
}

void ScheduleLedger::markPaid(const std::string& payment_id) {
  connection_.execute(
      "UPDATE payment_schedules SET status = 'PAID', updated_at_us = $1 WHERE payment_id = $2",
      {toMicros(clock_()), payment_id});
}

bool ScheduleLedger::markFailed(const std::string& payment_id) {
  return connection_.execute(
             "UPDATE payment_schedules SET status = 'FAILED', updated_at_us = $1 "
             "WHERE payment_id = $2 AND status IN ('PENDING', 'SCHEDULED')",
             {toMicros(clock_()), payment_id}) > 0;
}

std::vector<std::string> ScheduleLedger::revokeOtherAttempts(std::int64_t subscription_id,
                                                             int cycle, const std::string& except) {
  std::vector<std::string> pending;
  connection_.run(
      "SELECT payment_id FROM payment_schedules WHERE subscription_id = $1 AND cycle = $2 AND "
      "payment_id <> $3 AND status IN ('PENDING', 'SCHEDULED') ORDER BY attempt",
      [&](Statement& s) {
        s, bind(Poco::Int64{subscription_id}), bind(Poco::Int64{cycle}), useRef(except),
            into(pending);
      });
  for (const std::string& payment_id : pending) {
    connection_.execute(
        "UPDATE payment_schedules SET status = 'REVOKED', updated_at_us = $1 WHERE payment_id = $2",
        {toMicros(clock_()), payment_id});
  }
  return pending;
}

std::vector<ScheduleEntry> ScheduleLedger::pendingOf(std::int64_t subscription_id) {
  std::vector<std::string> ids;
  connection_.run(
      "SELECT payment_id FROM payment_schedules WHERE subscription_id = $1 AND status IN "
      "('PENDING', 'SCHEDULED') ORDER BY cycle, attempt",
      [&](Statement& s) { s, bind(Poco::Int64{subscription_id}), into(ids); });
  std::vector<ScheduleEntry> entries;
  for (const auto& id : ids) {
    if (auto entry = find(id)) entries.push_back(std::move(*entry));
  }
  return entries;
}

std::optional<ScheduleEntry> ScheduleLedger::latestOf(std::int64_t subscription_id) {
  std::string id;
  const std::size_t rows = connection_.run(
      "SELECT payment_id FROM payment_schedules WHERE subscription_id = $1 ORDER BY cycle DESC, "
      "attempt DESC LIMIT 1",
      [&](Statement& s) { s, bind(Poco::Int64{subscription_id}), into(id); });
  if (rows == 0) return std::nullopt;
  return find(id);
}

bool ScheduleLedger::revoke(const std::string& payment_id) {
  return connection_.execute(
             "UPDATE payment_schedules SET status = 'REVOKED', updated_at_us = $1 "
             "WHERE payment_id = $2 AND status IN ('PENDING', 'SCHEDULED')",
             {toMicros(clock_()), payment_id}) > 0;
}

void ScheduleLedger::markAccepted(const std::string& payment_id,
                                  const std::optional<std::string>& schedule_id) {
  // COALESCE: an answer without the id (PAYMENT_SCHEDULE_ALREADY_EXISTS) keeps a known one.
  connection_.execute(
      "UPDATE payment_schedules SET portone_schedule_id = COALESCE($1, portone_schedule_id), "
      "status = CASE WHEN status = 'PENDING' THEN 'SCHEDULED' ELSE status END, "
      "updated_at_us = $2 WHERE payment_id = $3",
      {schedule_id, toMicros(clock_()), payment_id});
}

std::string ScheduleLedger::fixNoticeUrl(const std::string& payment_id, const std::string& url) {
  connection_.execute(
      "UPDATE payment_schedules SET notice_url = $1, updated_at_us = $2 WHERE payment_id = $3 "
      "AND notice_url IS NULL",
      {url, toMicros(clock_()), payment_id});
  std::string fixed;
  connection_.run("SELECT notice_url FROM payment_schedules WHERE payment_id = $1",
                  [&](Statement& s) { s, useRef(payment_id), into(fixed); });
  return fixed;
}

std::optional<ScheduleEntry> findSchedule(Database& database, const std::string& payment_id) {
  return onLedger(database, [&](ScheduleLedger& ledger) { return ledger.find(payment_id); });
}

void markScheduleAccepted(Database& database, const std::string& payment_id,
                          const std::optional<std::string>& schedule_id) {
  onLedger(database, [&](ScheduleLedger& ledger) { ledger.markAccepted(payment_id, schedule_id); });
}

std::string fixScheduleNoticeUrl(Database& database, const std::string& payment_id,
                                 const std::string& url) {
  return onLedger(database,
                  [&](ScheduleLedger& ledger) { return ledger.fixNoticeUrl(payment_id, url); });
}

}  // namespace paymentd::storage
