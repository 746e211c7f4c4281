#include "storage/sweep_cursor.h"

#include "storage/connection.h"
#include "storage/nullable_codec.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

const std::string kName = "paid_payments";

}  // namespace

std::optional<SweepCursor> claimSweepCursor(Database& database, const std::string& holder,
                                            Timestamp now, Timestamp lease_until) {
  return database.withConnection(
      [&](Connection& connection) -> std::optional<SweepCursor> {
        const Poco::Int64 now_us = toMicros(now);
        connection.run(
            "INSERT INTO sweep_cursor (name, updated_at_us) VALUES ($1, $2) ON CONFLICT (name) DO "
            "NOTHING",
            [&](Poco::Data::Statement& s) { s, useRef(kName), bind(now_us); });
        // Concurrent claims: the row's lock orders them, and the second sees the
        // first's lease and takes nothing.
        connection.run(
            "UPDATE sweep_cursor SET claimed_by = $1, lease_until_us = $2, updated_at_us = $3 "
            "WHERE name = $4 AND (claimed_by IS NULL OR claimed_by = $1 OR lease_until_us < $3)",
            [&](Poco::Data::Statement& s) {
              s, useRef(holder), bind(toMicros(lease_until)), bind(now_us), useRef(kName);
            });
        Poco::Nullable<std::string> claimed_by;
        Poco::Nullable<Poco::Int64> swept_until;
        Poco::Nullable<Poco::Int64> window_from;
        Poco::Nullable<Poco::Int64> window_until;
        Poco::Int64 next_page = 0;
        connection.run(
            "SELECT claimed_by, swept_until_us, window_from_us, window_until_us, next_page FROM "
            "sweep_cursor WHERE name = $1",
            [&](Poco::Data::Statement& s) {
              s, useRef(kName), into(claimed_by), into(swept_until), into(window_from),
                  into(window_until), into(next_page);
            });
        if (fromNullable(claimed_by) != holder) return std::nullopt;
        SweepCursor cursor;
        if (auto at = fromNullable(swept_until)) cursor.swept_until = fromMicros(*at);
        if (auto from = fromNullable(window_from)) {
          if (auto until = fromNullable(window_until)) {
            cursor.window = SweepWindow{fromMicros(*from), fromMicros(*until), next_page};
          }
        }
        return cursor;
      },
      true);
}

bool saveSweepWindow(Database& database, const std::string& holder, const SweepWindow& window,
                     Timestamp lease_until) {
  return database.withConnection(
      [&](Connection& connection) {
        return connection.run(
                   "UPDATE sweep_cursor SET window_from_us = $1, window_until_us = $2, next_page = "
                   "$3, lease_until_us = $4, updated_at_us = $5 WHERE name = $6 AND claimed_by = "
                   "$7",
                   [&](Poco::Data::Statement& s) {
                     s, bind(toMicros(window.from)), bind(toMicros(window.until)),
                         bind(static_cast<Poco::Int64>(window.next_page)),
                         bind(toMicros(lease_until)), bind(toMicros(database.now())), useRef(kName),
                         useRef(holder);
                   }) > 0;
      },
      true);
}

bool finishSweepWindow(Database& database, const std::string& holder, Timestamp swept_until) {
  return database.withConnection(
      [&](Connection& connection) {
        return connection.run(
                   "UPDATE sweep_cursor SET swept_until_us = $1, window_from_us = NULL, "
                   "window_until_us = NULL, next_page = 0, updated_at_us = $2 WHERE name = $3 AND "
                   "claimed_by = $4",
                   [&](Poco::Data::Statement& s) {
                     s, bind(toMicros(swept_until)), bind(toMicros(database.now())), useRef(kName),
                         useRef(holder);
                   }) > 0;
      },
      true);
}

void releaseSweepCursor(Database& database, const std::string& holder) {
  database.withConnection(
      [&](Connection& connection) {
        connection.run(
            "UPDATE sweep_cursor SET claimed_by = NULL, lease_until_us = 0 WHERE name = $1 AND "
            "claimed_by = $2",
            [&](Poco::Data::Statement& s) { s, useRef(kName), useRef(holder); });
      },
      true);
}

}  // namespace paymentd::storage
