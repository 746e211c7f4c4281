#include "pipeline/give_up.h"

#include <Poco/Logger.h>

#include "storage/abandoned_work.h"
#include "storage/admin_notice.h"
#include "storage/payment_log.h"
#include "storage/time_codec.h"

namespace paymentd::pipeline {

std::size_t giveUpAbandonedWork(storage::Database& database, const Clock& clock,
                                Timestamp began_before, std::size_t limit,
                                const std::string& admin_channel) {
  std::size_t handed_over = 0;
  for (const storage::AbandonedWork& work : storage::abandonedWork(database, began_before, limit)) {
    const Timestamp now = clock.now();
    NoticeRequest notice;
    notice.channel = admin_channel;
    notice.template_code = storage::kGaveUpTemplate;
    notice.payment_id = work.payment_id;
    notice.send_at = now;
    notice.fields = {{"kind", work.kind},
                     {"reason", work.detail},
                     {"since_us", std::to_string(storage::toMicros(work.since))}};
    const Outcome queued = storage::queueNotice(
        database, notice, storage::gaveUpNoticeKey(work.kind, work.payment_id));
    const std::string detail =
        work.kind + " (" + work.detail + ") is left to an operator: " +
        (queued.isOk() ? std::string(storage::kGaveUpTemplate) + " to " + admin_channel
                       : "alert failed: " + queued.code());
    Poco::Logger::get("paymentd.reconcile")
        .warning("payment_id=" + work.payment_id + " stage=reconcile result=gave_up " + detail);
    storage::PaymentLog(database).recordEvent(
        {work.payment_id, now, "reconcile", "gave_up", detail});
    if (queued.isOk()) ++handed_over;
  }
  return handed_over;
}

}  // namespace paymentd::pipeline
