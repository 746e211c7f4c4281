// storage/outbox_stats.h: how much work waits in the outbox, for metrics.
#pragma once

#include <cstdint>

#include "storage/database.h"

namespace paymentd::storage {

struct OutboxStats {
  std::int64_t pending = 0;  // waiting to be carried out (due or not)
  std::int64_t dead = 0;     // given up: for an operator (paymentd outbox list --dead)
};

/// One statement. @throws Transient when the database cannot answer.
OutboxStats outboxStats(Database& database);

}  // namespace paymentd::storage
