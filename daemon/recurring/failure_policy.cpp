#include "recurring/failure_policy.h"

#include <cstdio>

#include "paymentd/calendar.h"

namespace paymentd::recurring {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;

// The start of the Seoul calendar day holding `time`, as a UTC time point.
Timestamp seoulMidnight(Timestamp time) {
  return Timestamp(floor<days>(time + kSeoulOffset)) - kSeoulOffset;
}

}  // namespace

Timestamp retryTime(Timestamp period_end, int attempt, int hour, Timestamp now) {
  const Timestamp planned = seoulMidnight(period_end) + days(attempt) + hours(hour);
  if (planned > now) return planned;
  Timestamp next = seoulMidnight(now) + hours(hour);
  if (next <= now) next += days(1);
  return next;
}

FailureDecision decideFailure(const FailurePolicy& policy, int failure_number, Timestamp period_end,
                              int attempt, Timestamp now) {
  const config::RecurringConfig& r = policy.recurring;
  FailureDecision decision;
  decision.failure_number = failure_number;
  if (failure_number > r.max_failures) {
    decision.give_up = true;
    decision.channel = policy.admin_channel;
    decision.template_code = "SUBSCRIPTION_FAILED";
    return decision;
  }
  if (failure_number <= r.alimtalk_until) {
    decision.channel = r.alimtalk_channel;
    decision.to_subscriber = true;
    decision.template_code = "PAYMENT_FAILED_RETRY";
  } else if (failure_number <= r.sms_until) {
    decision.channel = r.sms_channel;
    decision.to_subscriber = true;
    decision.template_code = "CHECK_CARD";
  } else {
    decision.channel = policy.admin_channel;
    decision.template_code = "BILLING_FAILING";
  }
  decision.retry_at = retryTime(period_end, attempt, r.retry_hour, now);
  return decision;
}

std::optional<std::string> hardDeclineCode(const FailurePolicy& policy,
                                           const std::optional<std::string>& pg_code,
                                           const std::optional<std::string>& reason) {
  const std::set<std::string>& hard = policy.recurring.hard_decline_codes;
  std::optional<std::string> code = pg_code;
  if ((!code || code->empty()) && reason && reason->size() > 2 && reason->front() == '[') {
    if (const auto end = reason->find(']'); end != std::string::npos)
      code = reason->substr(1, end - 1);
  }
  if (!code || hard.count(*code) == 0) return std::nullopt;
  return code;
}

FailureDecision decideHardDecline(const FailurePolicy& policy, int failure_number,
                                  const std::string& code) {
  FailureDecision decision;
  decision.failure_number = failure_number;
  decision.give_up = true;
  decision.channel = policy.admin_channel;
  decision.template_code = "SUBSCRIPTION_FAILED";
  decision.hard_decline_code = code;
  decision.card_channel = policy.recurring.alimtalk_channel;
  decision.card_template_code = "REGISTER_NEW_CARD";
  return decision;
}

std::string seoulText(Timestamp time) {
  const auto local = std::chrono::floor<std::chrono::minutes>(time + kSeoulOffset);
  const auto day = floor<days>(local);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{local - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02ld:%02ld", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long>(clock.hours().count()),
                static_cast<long>(clock.minutes().count()));
  return text;
}

}  // namespace paymentd::recurring
