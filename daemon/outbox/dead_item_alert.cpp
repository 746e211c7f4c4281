#include "outbox/dead_item_alert.h"

#include "outbox/notice_executor.h"
#include "paymentd/outbox.h"
#include "storage/admin_notice.h"
#include "storage/errors.h"
#include "storage/notice_payload.h"

namespace paymentd::outbox {
namespace {

bool isAdminNotice(const storage::OutboxRecord& record, const std::string& admin_channel) {
  if (record.item.kind != kOutboxNotify) return false;
  try {
    return storage::parseNoticePayload(record.item.payload).channel == admin_channel;
  } catch (const std::invalid_argument&) {
    return false;  // unreadable: nobody else will hear of it
  }
}

}  // namespace

std::string alertDeadItem(storage::Database& database, const storage::OutboxRecord& record,
                          const std::string& error, const std::string& admin_channel,
                          Timestamp now) {
  if (isAdminNotice(record, admin_channel)) return "skipped: a notice to the admin channel";
  NoticeRequest notice;
  notice.channel = admin_channel;
  notice.template_code = kDeadItemTemplate;
  notice.payment_id = paymentIdOf(record.item.payload);
  notice.send_at = now;
  notice.fields = {{"item", std::to_string(record.id)},
                   {"kind", record.item.kind},
                   {"key", record.item.dedupe_key},
                   {"error", error}};
  try {
    const Outcome queued = storage::queueNotice(
        database, notice,
        "notice:" + std::string(kDeadItemTemplate) + ":" + std::to_string(record.id));
    return queued.isOk() ? "queued" : "failed: " + queued.code() + ": " + queued.message();
  } catch (const storage::Error& e) {
    return std::string("failed: ") + e.what();
  }
}

}  // namespace paymentd::outbox
