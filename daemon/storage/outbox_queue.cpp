#include "storage/outbox_queue.h"

#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

}  // namespace

std::vector<OutboxRecord> OutboxQueue::due(Timestamp now, std::size_t limit) {
  return database_.withConnection(
      [&](Connection& connection) {
        std::vector<Poco::Int64> ids;
        std::vector<std::string> kinds;
        std::vector<std::string> keys;
        std::vector<std::string> payloads;
        std::vector<Poco::Int64> due_at;
        std::vector<Poco::Int64> attempts;
        connection.run(
            "SELECT id, kind, dedupe_key, payload, due_at_us, attempts FROM outbox "
            "WHERE status = 'PENDING' AND due_at_us <= $1 ORDER BY due_at_us, id LIMIT $2",
            [&](Statement& s) {
              s, bind(toMicros(now)), bind(static_cast<Poco::Int64>(limit)), into(ids), into(kinds),
                  into(keys), into(payloads), into(due_at), into(attempts);
            });
        std::vector<OutboxRecord> records;
        for (std::size_t i = 0; i < ids.size(); ++i) {
          records.push_back({ids[i],
                             OutboxItem{kinds[i], keys[i], payloads[i], fromMicros(due_at[i])},
                             attempts[i]});
        }
        return records;
      },
      true);
}

void OutboxQueue::finishAttempt(std::int64_t id, const char* status, Timestamp due,
                                const std::string& error) {
  database_.withConnection(
      [&](Connection& connection) {
        connection.run(
            "UPDATE outbox SET status = $1, attempts = attempts + 1, due_at_us = $2, last_error = "
            "$3, "
            "updated_at_us = $4 WHERE id = $5",
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
