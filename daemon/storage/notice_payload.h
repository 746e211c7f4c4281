// storage/notice_payload.h: the `notify` outbox item's format, written by the
// store (StoreWriter::sendNotice) and read by the outbox worker's notice
// executor. Plugins built against API 1.0/1.1 write the same JSON with the
// SDK's toOutboxItem(); the format therefore never loses a field.
#pragma once

#include <stdexcept>
#include <string>

#include "paymentd/outbox.h"

namespace paymentd::storage {

/// {"channel", "template", "user_id", "payment_id", "fields", ["recipient_subscription_id"]}.
/// send_at is the item's due time, not part of the payload.
std::string noticePayload(const NoticeRequest& notice);

/// @throws std::invalid_argument for a payload without channel or template.
NoticeRequest parseNoticePayload(const std::string& payload);

}  // namespace paymentd::storage
