// core/decision.h: what became of one payment, as a value.
//
// Every entry point (PortOne's webhook, the reconciler, and the ones to come)
// gets a Decision from the payment service; only the edge that answers a
// caller turns it into a status (the webhook's HTTP table is in
// api/webhook_answer.h). The verdict's name is what metrics, logs and the
// webhook's JSON `status` show.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace paymentd::core {

enum class Verdict {
  kFulfilled = 1,     // the transaction committed now
  kAlreadyFulfilled,  // fulfilled before: an idempotent success, never refunded
  kRefunded,          // will never be fulfilled; the money is back (now or before)
  kRefundFailed,      // will never be fulfilled; the refund is recorded for a retry
  kCancelled,         // PortOne shows it cancelled; nothing of ours to give back
  kDeclined,          // PortOne reports the charge failed
  kStale,             // a Transaction.Failed for a payment PortOne no longer shows failed
  kIgnored,           // a webhook type paymentd does not act on
  kNotFound,          // PortOne has no such payment: nothing was charged
  kNotPaid,           // PortOne does not show it paid yet: the webhook raced ahead
  kLockedElsewhere,   // another worker holds the payment's lock
  kUnavailable,       // our database, lock or PortOne could not answer: no refund
  kBadSignature,      // the webhook is not PortOne's (signature, timestamp)
  kMalformed,         // not a PortOne webhook body
  kForeignStore,      // a webhook for another store
};

/// Every verdict, for what lists them all (the metrics' closed set of outcomes).
inline constexpr std::array<Verdict, 15> kAllVerdicts = {
    Verdict::kFulfilled,    Verdict::kAlreadyFulfilled, Verdict::kRefunded,
    Verdict::kRefundFailed, Verdict::kCancelled,        Verdict::kDeclined,
    Verdict::kStale,        Verdict::kIgnored,          Verdict::kNotFound,
    Verdict::kNotPaid,      Verdict::kLockedElsewhere,  Verdict::kUnavailable,
    Verdict::kBadSignature, Verdict::kMalformed,        Verdict::kForeignStore};
static_assert(static_cast<std::size_t>(Verdict::kForeignStore) == kAllVerdicts.size(),
              "a new verdict goes into kAllVerdicts");

struct Decision {
  Verdict verdict = Verdict::kUnavailable;
  std::string code;  // the failure or refusal code (AMOUNT_MISMATCH, ...); empty when none

  /// Nothing is left for a redelivery to do: the same input decides the same
  /// again. An unfinished refund is final for the webhook: its recorded intent
  /// is what the reconciler finishes.
  bool isFinal() const;
  /// A verified payment whose webhook should be remembered, so the reconciler
  /// settles it after PortOne stops redelivering (our outage, or not paid yet).
  bool awaitsReconciler() const;
};

/// fulfilled, already_fulfilled, refunded, ...: as metrics, logs and the
/// webhook's answer name it.
std::string_view verdictName(Verdict verdict);

inline bool operator==(const Decision& a, const Decision& b) {
  return a.verdict == b.verdict && a.code == b.code;
}

}  // namespace paymentd::core
