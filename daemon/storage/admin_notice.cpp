#include "storage/admin_notice.h"

#include "storage/transaction.h"

namespace paymentd::storage {

Outcome queueNotice(Database& database, const NoticeRequest& notice,
                    const std::string& dedupe_key) {
  Transaction transaction(database);  // leaving without commit() rolls back
  if (!notice.payment_id.empty()) transaction.forPayment(notice.payment_id);
  Outcome queued = transaction.store().sendNotice(notice, dedupe_key);
  if (queued.isOk()) transaction.commit();
  return queued;
}

std::string gaveUpNoticeKey(const std::string& kind, const std::string& payment_id) {
  return "notice:" + std::string(kGaveUpTemplate) + ":" + kind + ":" + payment_id;
}

}  // namespace paymentd::storage
