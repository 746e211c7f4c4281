// core/payment_decision.h: the rules for one verified payment, top to bottom.
//
// Pure functions of facts (what PortOne shows, what paymentd recorded, which
// event started the run): no database, no HTTP, no clock. The payment service
// gathers the facts, asks here what to do, does it, and asks again when the
// doing had an outcome of its own (the transaction, the refund). Each rule
// follows the contract in docs/operations.md#webhook-answers.
#pragma once

#include <optional>
#include <string>

#include "core/decision.h"
#include "paymentd/context.h"
#include "paymentd/outcome.h"
#include "paymentd/payment.h"

namespace paymentd::core {

/// How far a recorded refund got (stored as NONE, INTENDED, DONE, FAILED).
enum class RefundState { kNone = 1, kIntended, kDone, kFailed };

/// What paymentd's database recorded of the payment before this run.
struct RecordedPayment {
  enum class State { kNothing = 1, kFulfilled, kFailed };
  State state = State::kNothing;
  /// The recorded failure, when state is kFailed.
  std::string failure_code;
  std::string failure_message;
  RefundState refund = RefundState::kNone;
};

struct PaymentFacts {
  WebhookEvent event = WebhookEvent::kTransactionPaid;
  PaymentStatus portone_status = PaymentStatus::kUnrecognized;  // as PortOne shows it now
  bool scheduled_by_paymentd = false;  // its id is one paymentd's schedules use
  RecordedPayment recorded;
  /// Paid on PortOne's test channel while only live payments count
  /// (portone.require_live): test money never fulfils; it is refunded.
  bool test_channel_refused = false;
};

/// What the service does next; `answer` is the decision once it is done
/// (for kFulfil, kReject and kRefund, the outcome of the doing decides instead).
enum class Action {
  kAnswer = 1,    // answer (after recording the failure, if `record_failure`)
  kCountDecline,  // like kAnswer, and count the decline against the renewal
  kMarkRefunded,  // PortOne shows our unfinished refund done: mark it, then answer
  kReject,        // it will never be fulfilled for `failure_code`: see afterRejection()
  kRefund,        // give the money back for `failure_code` (a recorded refund keeps its key)
  kFulfil,        // validators and the processor, in one transaction
};

struct Step {
  Action action = Action::kAnswer;
  Decision answer;
  std::string failure_code;  // what to record, reject or refund for
  std::string failure_message;
  bool record_failure = false;  // write the failure (no refund) before answering

  static Step answerWith(Verdict verdict, std::string code = "");
};

inline constexpr const char* kNotPaidCode = "PAYMENT_NOT_PAID";
inline constexpr const char* kCancelledCode = "CANCELLED_PAYMENT";
inline constexpr const char* kAlreadyFulfilledCode = "ALREADY_FULFILLED";
/// Another attempt of the same subscription cycle was paid: this one is refunded.
inline constexpr const char* kCycleAlreadyPaidCode = "CYCLE_ALREADY_PAID";
/// A renewal of a subscription that is cancelled, or set to cancel at period
/// end: the charge is not wanted (a withdrawal that lost the race at PortOne).
inline constexpr const char* kSubscriptionCancelledCode = "SUBSCRIPTION_CANCELLED";
inline constexpr const char* kTestChannelCode = "TEST_CHANNEL_PAYMENT";
inline constexpr const char* kPaymentFailedCode = "PAYMENT_FAILED";

/// The first decision, once PortOne's view of the payment is known.
Step decide(const PaymentFacts& facts);

/// The fulfilment transaction's outcome: fulfilled when it committed, our
/// outage when transient (nothing is refunded for it); nullopt when rejected,
/// for afterRejection() to decide.
std::optional<Decision> afterTransaction(const Outcome& outcome);

/// A fulfilment that did not commit: `outcome` is what the transaction (a
/// claim check, a validator, the processor, the database) said, and
/// `fulfilled` whether the database shows the payment fulfilled after all
/// (the database is the judge, whatever a plugin said).
Step afterRejection(const Outcome& outcome, bool fulfilled);

/// A refund was attempted: PortOne gave the money back (now or before) or not.
Decision afterRefund(bool refunded, const std::string& code);

/// What a failed lock or PortOne read means for the payment.
enum class LockStatus { kAcquired = 1, kHeldElsewhere, kUnavailable };
std::optional<Decision> afterLock(LockStatus status);
enum class LookupStatus { kFound = 1, kNotFound, kUnavailable, kRefused };
std::optional<Decision> afterLookup(LookupStatus status);

}  // namespace paymentd::core
