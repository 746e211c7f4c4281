// storage/outbox_queue.h: the host's side of the outbox: what is due, and how
// an attempt ended. Items are enqueued by StoreWriter::enqueueOutbox inside the
// payment's transaction. Each call is its own short transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "paymentd/store.h"
#include "storage/database.h"

namespace paymentd::storage {

struct OutboxRecord {
  std::int64_t id = 0;
  OutboxItem item;
  std::int64_t attempts = 0;
};

class OutboxQueue {
 public:
  explicit OutboxQueue(Database& database) : database_(database) {}

  /// PENDING items due at or before `now`, oldest due first.
  std::vector<OutboxRecord> due(Timestamp now, std::size_t limit);
  void markDone(std::int64_t id);
  /// Counts the attempt and moves the item to `next_due`.
  void retryLater(std::int64_t id, Timestamp next_due, const std::string& error);
  /// Gives up: the item stays for operators to see (dead letter).
  void markDead(std::int64_t id, const std::string& error);

 private:
  void finishAttempt(std::int64_t id, const char* status, Timestamp due, const std::string& error);

  Database& database_;
};

}  // namespace paymentd::storage
