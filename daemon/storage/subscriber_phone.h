// storage/subscriber_phone.h: where a notice to a subscriber goes.
//
// The number is the one stored with the subscription by the payment that
// created or last renewed it (SqlStore::setPayerPhone). Read by the outbox
// worker when it sends, not copied into the outbox payload, so `outbox list`
// and `trace` never show it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace paymentd::storage {

/// One statement. nullopt when the subscription is gone or has no number.
/// @throws Transient when the database cannot answer.
std::optional<std::string> subscriberPhone(Database& database, std::int64_t subscription_id);

}  // namespace paymentd::storage
