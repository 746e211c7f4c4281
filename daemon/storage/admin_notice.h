// storage/admin_notice.h: a notice enqueued outside any payment's transaction
// (an alert about work paymentd stopped retrying), once per dedupe key.
#pragma once

#include <string>

#include "paymentd/outbox.h"
#include "paymentd/outcome.h"
#include "storage/database.h"

namespace paymentd::storage {

/// Enqueues `notice` in its own transaction, tagged with its payment id (if
/// any). A second call with the same `dedupe_key` changes nothing.
/// @return the store's outcome; throws Transient when the database is down.
Outcome queueNotice(Database& database, const NoticeRequest& notice, const std::string& dedupe_key);

/// The admin notice of work the reconciler gave up, one per kind and payment.
inline constexpr const char* kGaveUpTemplate = "RETRY_GAVE_UP";

/// Its dedupe key: "notice:RETRY_GAVE_UP:<kind>:<payment id>" (the outbox row
/// is also the mark that the alert was queued: storage/abandoned_work.h).
std::string gaveUpNoticeKey(const std::string& kind, const std::string& payment_id);

}  // namespace paymentd::storage
