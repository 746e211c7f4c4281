// storage/schedule_backfill.h: schema 7 moves what was scheduled before it
// (the payloads of `schedule_payment` outbox items) into the schedule ledger.
#pragma once

#include "paymentd/payment.h"
#include "storage/connection.h"

namespace paymentd::storage {

/// Inside the migration's transaction. Each schedule's status follows what
/// happened to it: fulfilled -> PAID (a second fulfilled attempt of one cycle
/// -> PAID_TWICE, for an operator to refund), a counted failure -> FAILED,
/// sent -> SCHEDULED, else PENDING. An item whose payload cannot be read, or
/// that names no subscription, is left out: its outbox item then goes dead.
void backfillScheduleLedger(Connection& connection, Timestamp now);

}  // namespace paymentd::storage
