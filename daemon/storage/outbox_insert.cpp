#include "storage/outbox_insert.h"

#include "storage/nullable_codec.h"
#include "storage/time_codec.h"

namespace paymentd::storage {

void insertOutboxItem(Connection& connection, const OutboxItem& item,
                      const std::optional<std::string>& payment_id, Timestamp now) {
  using Poco::Data::Keywords::bind;
  using Poco::Data::Keywords::useRef;
  connection.run(
      "INSERT INTO outbox (kind, dedupe_key, payload, status, attempts, due_at_us, "
      "created_at_us, updated_at_us, payment_id) VALUES ($1, $2, $3, 'PENDING', 0, $4, "
      "$5, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING",
      [&](Poco::Data::Statement& s) {
        s, useRef(item.kind), useRef(item.dedupe_key), useRef(item.payload),
            bind(toMicros(item.due_at)), bind(toMicros(now)), bind(toNullable(payment_id));
      });
}

}  // namespace paymentd::storage
