// storage/unsettled_webhooks.h: verified webhooks that got an answer PortOne
// retries (503: our outage; 409 PAYMENT_NOT_PAID: the webhook raced ahead of
// the payment), with the claims of their URL. PortOne stops redelivering after
// about five hours; the reconciler finishes what is still unsettled by then,
// which it could not do for a browser payment without these claims. A row is
// written only for such answers, so the common path pays nothing for it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "paymentd/context.h"
#include "storage/database.h"

namespace paymentd::storage {

struct UnsettledWebhook {
  std::string payment_id;
  std::string event;   // Transaction.Paid, Transaction.Failed
  Claims claims;       // as the first such delivery's URL had them
  std::string answer;  // the last answer's code, e.g. PORTONE_UNAVAILABLE
};

/// Upsert: the first delivery's claims stay, the last answer and time are kept.
/// @throws Transient when the database cannot take it (then nothing is kept:
///         the outage the answer was about may be the database's own).
void rememberUnsettledWebhook(Database& database, const UnsettledWebhook& webhook);

/// Once the payment is settled (fulfilled, refunded, failed, ...).
void forgetUnsettledWebhook(Database& database, const std::string& payment_id);

/// Webhooks last answered (or reconciled) before `before` and first seen after
/// `since`, oldest first. Rows stay until forgotten: a settled payment found
/// here again is answered as settled and forgotten.
std::vector<UnsettledWebhook> unsettledWebhooks(Database& database, Timestamp before,
                                                Timestamp since, std::size_t limit);

}  // namespace paymentd::storage
