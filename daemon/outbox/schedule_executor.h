// outbox/schedule_executor.h: a `schedule_payment` item -> PortOne's
// createPaymentSchedule, with notice URLs that carry the webhook's claims.
#pragma once

#include <string>

#include "outbox/attempt.h"
#include "portone/api_client.h"

namespace paymentd::outbox {

class ScheduleExecutor {
 public:
  /// @param public_url the daemon as PortOne reaches it, without a trailing slash.
  ScheduleExecutor(const portone::PortOneClient& portone, std::string public_url)
      : portone_(portone), public_url_(std::move(public_url)) {}

  /// PAYMENT_SCHEDULE_ALREADY_EXISTS and ALREADY_PAID(_OR_WAITING) count as
  /// done: the payment id is derived from subscription, cycle and attempt, so
  /// PortOne holds exactly the schedule this item asked for.
  Attempt execute(const std::string& payload) const;

  /// The webhook URL for a scheduled payment's notices.
  std::string noticeUrl(const std::string& user_id, const std::string& plan_id,
                        const std::string& payment_type) const;

 private:
  const portone::PortOneClient& portone_;
  std::string public_url_;
};

}  // namespace paymentd::outbox
