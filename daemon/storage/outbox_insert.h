// storage/outbox_insert.h: the one INSERT every outbox item goes through, whoever
// enqueues it (the plugin-facing store, the host's events), inside the caller's
// transaction.
#pragma once

#include <optional>
#include <string>

#include "paymentd/store.h"
#include "storage/connection.h"

namespace paymentd::storage {

/// Inserts `item` as PENDING; a repeated dedupe key changes nothing.
/// `payment_id`: the payment it was set in motion by, for `paymentd trace`.
void insertOutboxItem(Connection& connection, const OutboxItem& item,
                      const std::optional<std::string>& payment_id, Timestamp now);

}  // namespace paymentd::storage
