// outbox/dead_item_alert.h: an item that went dead is work paymentd stopped
// trying; the admin channel is told, once per item (issue 20 defect 4: every
// retry loop has an end and an alert). A dead notice to the admin channel
// itself is only logged: telling the admin of it could only fail the same way.
#pragma once

#include <string>

#include "clock/clock.h"
#include "storage/database.h"
#include "storage/outbox_queue.h"

namespace paymentd::outbox {

inline constexpr const char* kDeadItemTemplate = "OUTBOX_ITEM_DEAD";

/// Enqueues OUTBOX_ITEM_DEAD to `admin_channel` for `record`, which just went
/// dead with `error`. @return what happened, for the log ("queued", "skipped: ...").
/// Never throws: the item is dead whatever happens to its alert.
std::string alertDeadItem(storage::Database& database, const storage::OutboxRecord& record,
                          const std::string& error, const std::string& admin_channel,
                          Timestamp now);

}  // namespace paymentd::outbox
