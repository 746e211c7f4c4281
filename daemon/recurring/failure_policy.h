// recurring/failure_policy.h: what the n-th consecutive failure of a renewal
// brings (docs/operators.md, "Recurring billing and failed renewals"): which notice, and when the
// next attempt runs. Pure functions of the configuration and the dates; no I/O.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "paymentd/payment.h"

namespace paymentd::recurring {

struct FailurePolicy {
  config::RecurringConfig recurring;
  std::string admin_channel = "admin_slack";
};

struct FailureDecision {
  int failure_number = 0;             // 1 for the first failure of this streak
  bool give_up = false;               // over the limit: FAILED, nothing scheduled
  std::string channel;                // the notice's channel
  bool to_subscriber = false;         // AlimTalk/SMS tiers: the notice carries the phone number
  std::string template_code;          // PAYMENT_FAILED_RETRY, CHECK_CARD, BILLING_FAILING, ...
  std::optional<Timestamp> retry_at;  // set unless give_up
  /// A hard decline: besides the admin's notice, the subscriber is told to
  /// register a new card on `card_channel` with `card_template_code`.
  std::optional<std::string> hard_decline_code;
  std::string card_channel;
  std::string card_template_code;
};

/// The decline's code when it is one `recurring.hard_decline_codes` lists:
/// PortOne's `failure.pgCode`, or without one the `[CODE]` that starts
/// `failure.reason`. nullopt for every other decline.
std::optional<std::string> hardDeclineCode(const FailurePolicy& policy,
                                           const std::optional<std::string>& pg_code,
                                           const std::optional<std::string>& reason);

/// A hard decline (hardDeclineCode()): FAILED at once whatever the count,
/// nothing retried; the admin and the subscriber are told.
FailureDecision decideHardDecline(const FailurePolicy& policy, int failure_number,
                                  const std::string& code);

/// @param failure_number the failure being recorded (count so far + 1).
/// @param period_end     when the cycle was due (attempt 1 ran then).
/// @param attempt        the attempt that failed (1-based).
FailureDecision decideFailure(const FailurePolicy& policy, int failure_number, Timestamp period_end,
                              int attempt, Timestamp now);

/// Attempt `attempt + 1` of a cycle due at `period_end`: `attempt` days after
/// the due date (in Asia/Seoul), at `hour`:00 Seoul time, so retries are
/// exactly one day apart whatever time the failure was processed. If that
/// moment has passed already (the webhook came late), the next `hour`:00
/// after `now`.
Timestamp retryTime(Timestamp period_end, int attempt, int hour, Timestamp now);

/// "2026-12-25 10:00" in Asia/Seoul, for notices.
std::string seoulText(Timestamp time);

}  // namespace paymentd::recurring
