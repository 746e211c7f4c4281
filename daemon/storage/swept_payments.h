// storage/swept_payments.h: payments PortOne showed PAID that paymentd had no
// record of, found by the payment sweep (pipeline/payment_sweep.h), and how far
// asking PortOne to resend their webhook got.
//
// A row is PENDING when found, RESENT once PortOne took a resend, UNRESOLVED when
// PortOne refused one (its resend limit) or `max_resends` brought nothing (an
// operator is told, once), RESOLVED as soon as paymentd holds a record of the
// payment (the resent webhook arrived). Each write is its own short transaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace paymentd::storage {

enum class SweepState { kPending = 1, kResent, kUnresolved, kResolved };

/// "PENDING", "RESENT", "UNRESOLVED", "RESOLVED": as stored and reported.
const char* sweepStateName(SweepState state);

struct SweptPayment {
  std::string payment_id;
  std::optional<Timestamp> paid_at;  // as PortOne's list showed it
  Timestamp first_seen;
  std::int64_t resends = 0;
  std::optional<Timestamp> last_resend;
  SweepState state = SweepState::kPending;
  std::string detail;  // the last resend's answer, one line
};

/// Whether paymentd holds a record of the payment: fulfilled (`payments`), failed or
/// refunded (`payment_failures`), a webhook the reconciler finishes
/// (`unsettled_webhooks`), or a renewal it scheduled (`payment_schedules`: the
/// reconciler's overdue renewals finish those).
bool paymentRecorded(Database& database, const std::string& payment_id);

/// A PENDING row for a newly found payment; a payment found before is left as it is.
/// @return true when the row is new.
bool rememberSweptPayment(Database& database, const std::string& payment_id,
                          std::optional<Timestamp> paid_at, Timestamp now);

/// Every row not RESOLVED whose payment is now recorded becomes RESOLVED.
/// @return how many did.
std::size_t resolveRecordedSweptPayments(Database& database, Timestamp now);

/// PENDING rows and RESENT rows last resent before `resent_before`, the longest
/// waiting first: the sweep asks PortOne again for these.
std::vector<SweptPayment> sweptPaymentsDue(Database& database, Timestamp resent_before,
                                           std::size_t limit);

/// PortOne took a resend: RESENT, one more resend.
void recordSweepResend(Database& database, const std::string& payment_id, Timestamp now,
                       const std::string& detail);
/// Left to an operator. @return true when this call made it UNRESOLVED (false: it was).
bool markSweptPaymentUnresolved(Database& database, const std::string& payment_id, Timestamp now,
                                const std::string& detail);
/// A resend that could not reach PortOne: the state stays, the detail says why.
void noteSweepDetail(Database& database, const std::string& payment_id, Timestamp now,
                     const std::string& detail);

/// The UNRESOLVED rows whose payment still has no record, oldest first (the report).
std::vector<SweptPayment> unresolvedSweptPayments(Database& database);

}  // namespace paymentd::storage
