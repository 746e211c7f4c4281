// storage/abandoned_work.h: what the reconciler stopped retrying (issue 20
// defect 4: every retry loop has an end and an alert). A refund first intended,
// a renewal first due, or a webhook first seen longer ago than the reconciler's
// give-up age is no longer taken up; each is handed to an operator once, by an
// admin notice whose outbox row (storage/admin_notice.h, gaveUpNoticeKey) is
// also the mark that it was handed over.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "storage/database.h"

namespace paymentd::storage {

struct AbandonedWork {
  std::string kind;  // refund, renewal, webhook
  std::string payment_id;
  std::string detail;  // the refund's code, the subscription, the webhook's last answer
  Timestamp since;     // first intended, due or seen
};

/// Unfinished work of every kind that began before `began_before` and whose
/// give-up notice is not queued yet, at most `limit` of each kind, oldest first.
std::vector<AbandonedWork> abandonedWork(Database& database, Timestamp began_before,
                                         std::size_t limit);

}  // namespace paymentd::storage
