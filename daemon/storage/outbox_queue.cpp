#include "storage/outbox_queue.h"

#include <Poco/Nullable.h>

#include <algorithm>

#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

// What due() and claim() both read (kColumns).
constexpr const char* kColumns =
    "id, kind, dedupe_key, payload, due_at_us, attempts, COALESCE(payment_id, '')";

struct RecordColumns {
  std::vector<Poco::Int64> ids;
  std::vector<std::string> kinds;
  std::vector<std::string> keys;
  std::vector<std::string> payloads;
  std::vector<Poco::Int64> due_at;
  std::vector<Poco::Int64> attempts;
  std::vector<std::string> payment_ids;

  void bindInto(Statement& s) {
    s, into(ids), into(kinds), into(keys), into(payloads), into(due_at), into(attempts),
        into(payment_ids);
  }

  std::vector<OutboxRecord> records() const {
    std::vector<OutboxRecord> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out.push_back({ids[i], OutboxItem{kinds[i], keys[i], payloads[i], fromMicros(due_at[i])},
                     attempts[i], payment_ids[i]});
    }
    return out;
  }
};

}  // namespace

std::vector<OutboxRecord> OutboxQueue::due(Timestamp now, std::size_t limit) {
  return database_.withConnection(
      [&](Connection& connection) {
        RecordColumns columns;
        connection.run(
            std::string("SELECT ") + kColumns +
                " FROM outbox "
                "WHERE status = 'PENDING' AND due_at_us <= $1 ORDER BY due_at_us, id LIMIT $2",
            [&](Statement& s) {
              s, bind(toMicros(now)), bind(static_cast<Poco::Int64>(limit));
              columns.bindInto(s);
            });
        return columns.records();
      },
      true);
}

std::vector<OutboxRecord> OutboxQueue::claim(const std::string& worker, Timestamp now,
                                             std::chrono::seconds lease, std::size_t limit) {
  return database_.withConnection(
      [&](Connection& connection) {
        // The lock clause is PostgreSQL's; SQLite runs the one statement atomically.
        const std::string lock =
            connection.backend() == Backend::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
        RecordColumns columns;
        const Poco::Int64 now_us = toMicros(now);
        const Poco::Int64 until_us = toMicros(now + lease);
        connection.run(
            "UPDATE outbox SET claimed_by = $1, lease_until_us = $2 WHERE id IN (SELECT id FROM "
            "outbox WHERE status = 'PENDING' AND due_at_us <= $3 AND (lease_until_us IS NULL OR "
            "lease_until_us <= $3) ORDER BY due_at_us, id LIMIT $4" +
                lock + ") RETURNING " + kColumns,
            [&](Statement& s) {
              s, useRef(worker), bind(until_us), bind(now_us),
                  bind(static_cast<Poco::Int64>(limit));
              columns.bindInto(s);
            });
        std::vector<OutboxRecord> records = columns.records();
        // RETURNING gives no order; work oldest first.
        std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
          return a.item.due_at != b.item.due_at ? a.item.due_at < b.item.due_at : a.id < b.id;
        });
        return records;
      },
      false);  // not retried: a lost answer may have claimed rows; their lease ends
}

std::vector<OutboxRow> OutboxQueue::list(bool dead_only, std::size_t limit) {
  return database_.withConnection(
      [&](Connection& connection) {
        std::vector<Poco::Int64> ids;
        std::vector<std::string> kinds;
        std::vector<std::string> keys;
        std::vector<std::string> statuses;
        std::vector<Poco::Int64> attempts;
        std::vector<Poco::Int64> due_at;
        std::vector<Poco::Nullable<std::string>> errors;
        std::vector<Poco::Nullable<std::string>> claimed;
        connection.run(
            std::string("SELECT id, kind, dedupe_key, status, attempts, due_at_us, "
                        "last_error, claimed_by FROM outbox ") +
                (dead_only ? "WHERE status = 'DEAD' " : "") + "ORDER BY id DESC LIMIT $1",
            [&](Statement& s) {
              s, bind(static_cast<Poco::Int64>(limit)), into(ids), into(kinds), into(keys),
                  into(statuses), into(attempts), into(due_at), into(errors), into(claimed);
            });
        std::vector<OutboxRow> rows;
        for (std::size_t i = 0; i < ids.size(); ++i) {
          OutboxRow row{ids[i],       kinds[i],    keys[i],
                        statuses[i],  attempts[i], fromMicros(due_at[i]),
                        std::nullopt, std::nullopt};
          if (!errors[i].isNull()) row.last_error = errors[i].value();
          if (!claimed[i].isNull()) row.claimed_by = claimed[i].value();
          rows.push_back(std::move(row));
        }
        return rows;
      },
      true);
}

bool OutboxQueue::retryNow(std::int64_t id) {
  return database_.withConnection(
      [&](Connection& connection) {
        const Poco::Int64 now = toMicros(database_.now());
        return connection.run(
                   "UPDATE outbox SET status = 'PENDING', attempts = 0, due_at_us = $1, "
                   "updated_at_us = $1, claimed_by = NULL, lease_until_us = NULL WHERE id = $2 "
                   "AND status <> 'DONE'",
                   [&](Statement& s) { s, bind(now), bind(static_cast<Poco::Int64>(id)); }) > 0;
      },
      true);
}

std::optional<std::string> OutboxQueue::statusOf(const std::string& dedupe_key) {
  return database_.withConnection(
      [&](Connection& connection) -> std::optional<std::string> {
        std::string status;
        if (connection.run("SELECT status FROM outbox WHERE dedupe_key = $1",
                           [&](Statement& s) { s, useRef(dedupe_key), into(status); }) == 0) {
          return std::nullopt;
        }
        return status;
      },
      true);
}

void OutboxQueue::finishAttempt(std::int64_t id, const char* status, Timestamp due,
                                const std::string& error) {
  database_.withConnection(
      [&](Connection& connection) {
        connection.run(
            "UPDATE outbox SET status = $1, attempts = attempts + 1, due_at_us = $2, last_error = "
            "$3, updated_at_us = $4, claimed_by = NULL, lease_until_us = NULL WHERE id = $5",
            [&](Statement& s) {
              s, bind(std::string(status)), bind(toMicros(due)), useRef(error),
                  bind(toMicros(database_.now())), bind(static_cast<Poco::Int64>(id));
            });
      },
      true);
}

void OutboxQueue::markDone(std::int64_t id) {
  finishAttempt(id, "DONE", database_.now(), "");
}

void OutboxQueue::retryLater(std::int64_t id, Timestamp next_due, const std::string& error) {
  finishAttempt(id, "PENDING", next_due, error);
}

void OutboxQueue::markDead(std::int64_t id, const std::string& error) {
  finishAttempt(id, "DEAD", database_.now(), error);
}

}  // namespace paymentd::storage
