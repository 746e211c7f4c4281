// storage/outbox_queue.h: the host's side of the outbox: claiming due items,
// and how an attempt ended. Items are enqueued by StoreWriter::enqueueOutbox
// inside the payment's transaction. Each call is its own short transaction.
//
// Claims are leases: claim() marks items with the worker's id and a lease end;
// other workers skip them until the lease ends, so a crashed worker's items
// come back. On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, so several
// daemons share one outbox; SQLite has one writer, and the statement is atomic.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/store.h"
#include "storage/database.h"

namespace paymentd::storage {

struct OutboxRecord {
  std::int64_t id = 0;
  OutboxItem item;
  std::int64_t attempts = 0;
  std::string payment_id;  // the payment that set it in motion; "" for none
};

/// One row as operators see it (`paymentd outbox list`).
struct OutboxRow {
  std::int64_t id = 0;
  std::string kind;
  std::string dedupe_key;
  std::string status;  // PENDING, DONE, DEAD
  std::int64_t attempts = 0;
  Timestamp due_at;
  std::optional<std::string> last_error;
  std::optional<std::string> claimed_by;
};

class OutboxQueue {
 public:
  explicit OutboxQueue(Database& database) : database_(database) {}

  /// PENDING items due at or before `now`, oldest due first.
  std::vector<OutboxRecord> due(Timestamp now, std::size_t limit);
  /// Claims up to `limit` PENDING items due at `now` whose lease (if any) has
  /// ended, for `worker` until `now + lease`.
  std::vector<OutboxRecord> claim(const std::string& worker, Timestamp now,
                                  std::chrono::seconds lease, std::size_t limit);
  void markDone(std::int64_t id);
  /// Counts the attempt and moves the item to `next_due`.
  void retryLater(std::int64_t id, Timestamp next_due, const std::string& error);
  /// Gives up: the item stays for operators to see (dead letter).
  void markDead(std::int64_t id, const std::string& error);

  /// Newest first; `dead_only` lists the dead letters.
  std::vector<OutboxRow> list(bool dead_only, std::size_t limit);
  /// An operator's retry: the item is PENDING again, due now, with its attempts
  /// reset to 0. @return false when there is no such item or it is DONE.
  bool retryNow(std::int64_t id);

  /// PENDING, DONE or DEAD; nullopt when no item has the key.
  std::optional<std::string> statusOf(const std::string& dedupe_key);

 private:
  void finishAttempt(std::int64_t id, const char* status, Timestamp due, const std::string& error);

  Database& database_;
};

}  // namespace paymentd::storage
