#include "storage/outbox_stats.h"

#include "storage/connection.h"

namespace paymentd::storage {

using Poco::Data::Keywords::into;

OutboxStats outboxStats(Database& database) {
  return database.withConnection(
      [](Connection& connection) {
        OutboxStats stats;
        Poco::Int64 pending = 0;
        Poco::Int64 dead = 0;
        connection.run(
            "SELECT COALESCE(SUM(CASE WHEN status = 'PENDING' THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN status = 'DEAD' THEN 1 ELSE 0 END), 0) FROM outbox",
            [&](Poco::Data::Statement& s) { s, into(pending), into(dead); });
        stats.pending = pending;
        stats.dead = dead;
        return stats;
      },
      true);
}

}  // namespace paymentd::storage
