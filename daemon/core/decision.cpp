#include "core/decision.h"

namespace paymentd::core {

bool Decision::isFinal() const {
  switch (verdict) {
    case Verdict::kFulfilled:
    case Verdict::kAlreadyFulfilled:
    case Verdict::kRefunded:
    case Verdict::kRefundFailed:
    case Verdict::kCancelled:
    case Verdict::kDeclined:
    case Verdict::kStale:
    case Verdict::kIgnored:
    case Verdict::kNotFound:
      return true;
    case Verdict::kNotPaid:
    case Verdict::kLockedElsewhere:
    case Verdict::kUnavailable:
    case Verdict::kBadSignature:
    case Verdict::kMalformed:
    case Verdict::kForeignStore:
      return false;
  }
  return false;
}

bool Decision::awaitsReconciler() const {
  return verdict == Verdict::kUnavailable || verdict == Verdict::kNotPaid;
}

std::string_view verdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFulfilled:
      return "fulfilled";
    case Verdict::kAlreadyFulfilled:
      return "already_fulfilled";
    case Verdict::kRefunded:
      return "refunded";
    case Verdict::kRefundFailed:
      return "refund_failed";
    case Verdict::kCancelled:
      return "cancelled";
    case Verdict::kDeclined:
      return "payment_failed";
    case Verdict::kStale:
      return "stale";
    case Verdict::kIgnored:
      return "ignored";
    case Verdict::kNotFound:
      return "not_found";
    case Verdict::kNotPaid:
      return "not_paid";
    case Verdict::kLockedElsewhere:
      return "already_processing";
    case Verdict::kUnavailable:
      return "unavailable";
    case Verdict::kBadSignature:
      return "bad_signature";
    case Verdict::kMalformed:
      return "malformed";
    case Verdict::kForeignStore:
      return "foreign_store";
  }
  return "unavailable";
}

}  // namespace paymentd::core
