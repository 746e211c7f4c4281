#include "storage/swept_payments.h"

#include "storage/connection.h"
#include "storage/nullable_codec.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

// A record of payment `alias`.payment_id, in any table that means paymentd has it.
std::string recordedSql(const std::string& alias) {
  const std::string id = alias + ".payment_id";
  return "(EXISTS (SELECT 1 FROM payments p WHERE p.id = " + id +
         ") OR EXISTS (SELECT 1 FROM payment_failures f WHERE f.payment_id = " + id +
         ") OR EXISTS (SELECT 1 FROM unsettled_webhooks w WHERE w.payment_id = " + id +
         ") OR EXISTS (SELECT 1 FROM payment_schedules s WHERE s.payment_id = " + id + "))";
}

SweepState stateFromName(const std::string& name) {
  if (name == "RESENT") return SweepState::kResent;
  if (name == "UNRESOLVED") return SweepState::kUnresolved;
  if (name == "RESOLVED") return SweepState::kResolved;
  return SweepState::kPending;
}

const std::string kColumns =
    "s.payment_id, s.paid_at_us, s.first_seen_us, s.resends, s.last_resend_us, s.state, s.detail";

std::vector<SweptPayment> selectSwept(Database& database, const std::string& where,
                                      const std::function<void(Poco::Data::Statement&)>& bind_more,
                                      const std::string& order) {
  return database.withConnection(
      [&](Connection& connection) {
        std::vector<std::string> id;
        std::vector<Poco::Nullable<Poco::Int64>> paid_at;
        std::vector<Poco::Int64> first_seen;
        std::vector<Poco::Int64> resends;
        std::vector<Poco::Nullable<Poco::Int64>> last_resend;
        std::vector<std::string> state;
        std::vector<std::string> detail;
        connection.run(
            "SELECT " + kColumns + " FROM swept_payments s WHERE " + where + " ORDER BY " + order,
            [&](Poco::Data::Statement& s) {
              bind_more(s);
              s, into(id), into(paid_at), into(first_seen), into(resends), into(last_resend),
                  into(state), into(detail);
            });
        std::vector<SweptPayment> rows;
        for (std::size_t i = 0; i < id.size(); ++i) {
          SweptPayment row;
          row.payment_id = id[i];
          if (auto at = fromNullable(paid_at[i])) row.paid_at = fromMicros(*at);
          row.first_seen = fromMicros(first_seen[i]);
          row.resends = resends[i];
          if (auto at = fromNullable(last_resend[i])) row.last_resend = fromMicros(*at);
          row.state = stateFromName(state[i]);
          row.detail = detail[i];
          rows.push_back(std::move(row));
        }
        return rows;
      },
      true);
}

}  // namespace

const char* sweepStateName(SweepState state) {
  switch (state) {
    case SweepState::kPending:
      return "PENDING";
    case SweepState::kResent:
      return "RESENT";
    case SweepState::kUnresolved:
      return "UNRESOLVED";
    case SweepState::kResolved:
      return "RESOLVED";
  }
  return "PENDING";
}

bool paymentRecorded(Database& database, const std::string& payment_id) {
  return database.withConnection(
      [&](Connection& connection) {
        Poco::Int64 recorded = 0;
        connection.run("SELECT COUNT(*) FROM (SELECT CAST($1 AS TEXT) AS payment_id) q WHERE " +
                           recordedSql("q"),
                       [&](Poco::Data::Statement& s) { s, useRef(payment_id), into(recorded); });
        return recorded > 0;
      },
      true);
}

bool rememberSweptPayment(Database& database, const std::string& payment_id,
                          std::optional<Timestamp> paid_at, Timestamp now) {
  return database.withConnection(
      [&](Connection& connection) {
        std::optional<Poco::Int64> paid_us;
        if (paid_at) paid_us = toMicros(*paid_at);
        const std::size_t inserted = connection.run(
            "INSERT INTO swept_payments (payment_id, paid_at_us, first_seen_us, state, "
            "updated_at_us) VALUES ($1, $2, $3, 'PENDING', $3) ON CONFLICT (payment_id) DO NOTHING",
            [&](Poco::Data::Statement& s) {
              s, useRef(payment_id), bind(toNullable(paid_us)), bind(toMicros(now));
            });
        return inserted > 0;
      },
      true);
}

std::size_t resolveRecordedSweptPayments(Database& database, Timestamp now) {
  return database.withConnection(
      [&](Connection& connection) {
        return connection.run(
            "UPDATE swept_payments SET state = 'RESOLVED', updated_at_us = $1 WHERE state <> "
            "'RESOLVED' AND " +
                recordedSql("swept_payments"),
            [&](Poco::Data::Statement& s) { s, bind(toMicros(now)); });
      },
      true);
}

std::vector<SweptPayment> sweptPaymentsDue(Database& database, Timestamp resent_before,
                                           std::size_t limit) {
  const Poco::Int64 before = toMicros(resent_before);
  const auto most = static_cast<Poco::Int64>(limit);
  return selectSwept(
      database, "s.state = 'PENDING' OR (s.state = 'RESENT' AND s.last_resend_us < $1)",
      [&](Poco::Data::Statement& s) { s, bind(before); },
      "s.updated_at_us, s.payment_id LIMIT " + std::to_string(most));
}

void recordSweepResend(Database& database, const std::string& payment_id, Timestamp now,
                       const std::string& detail) {
  database.withConnection(
      [&](Connection& connection) {
        connection.run(
            "UPDATE swept_payments SET state = 'RESENT', resends = resends + 1, last_resend_us = "
            "$1, updated_at_us = $1, detail = $2 WHERE payment_id = $3 AND state IN ('PENDING', "
            "'RESENT')",
            [&](Poco::Data::Statement& s) {
              s, bind(toMicros(now)), useRef(detail), useRef(payment_id);
            });
      },
      true);
}

bool markSweptPaymentUnresolved(Database& database, const std::string& payment_id, Timestamp now,
                                const std::string& detail) {
  return database.withConnection(
      [&](Connection& connection) {
        return connection.run(
                   "UPDATE swept_payments SET state = 'UNRESOLVED', updated_at_us = $1, detail = "
                   "$2 WHERE payment_id = $3 AND state IN ('PENDING', 'RESENT')",
                   [&](Poco::Data::Statement& s) {
                     s, bind(toMicros(now)), useRef(detail), useRef(payment_id);
                   }) > 0;
      },
      true);
}

void noteSweepDetail(Database& database, const std::string& payment_id, Timestamp now,
                     const std::string& detail) {
  database.withConnection(
      [&](Connection& connection) {
        connection.run(
            "UPDATE swept_payments SET updated_at_us = $1, detail = $2 WHERE payment_id = $3",
            [&](Poco::Data::Statement& s) {
              s, bind(toMicros(now)), useRef(detail), useRef(payment_id);
            });
      },
      true);
}

std::vector<SweptPayment> unresolvedSweptPayments(Database& database) {
  return selectSwept(
      database, "s.state = 'UNRESOLVED' AND NOT " + recordedSql("s"), [](Poco::Data::Statement&) {},
      "s.first_seen_us, s.payment_id");
}

}  // namespace paymentd::storage
