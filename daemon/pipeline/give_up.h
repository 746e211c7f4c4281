// pipeline/give_up.h: the end of the reconciler's retries (issue 20 defect 4).
//
// A refund PortOne keeps refusing, a renewal PortOne never settles, a webhook
// that never gets a final answer: the reconciler takes each up again every
// grace period, but only for `give_up_after` from when it began. Then it stops,
// records a `reconcile gave_up` event in the payment's trace and tells the
// admin channel once (RETRY_GAVE_UP, with the kind, the payment and why), so an
// operator finishes it by hand (docs/operators.md).
#pragma once

#include <cstddef>
#include <string>

#include "clock/clock.h"
#include "storage/database.h"

namespace paymentd::pipeline {

/// Hands over at most `limit` of each kind that began before `began_before`
/// and was not handed over yet. @return how many were handed over now.
/// @throws storage::Transient when the database cannot be read.
std::size_t giveUpAbandonedWork(storage::Database& database, const Clock& clock,
                                Timestamp began_before, std::size_t limit,
                                const std::string& admin_channel);

}  // namespace paymentd::pipeline
