// outbox/schedule_executor.h: a `schedule_payment` item -> PortOne's
// createPaymentSchedule, with notice URLs that carry the webhook's claims.
//
// The notice URL's payment_type is the host's one setting for renewals
// (`recurring.payment_type`), the same the pipeline uses to count failed
// renewals: whatever a processor put in SchedulePaymentRequest::payment_type
// is ignored, so processors and host cannot disagree.
#pragma once

#include <string>

#include "outbox/attempt.h"
#include "portone/api_client.h"

namespace paymentd::outbox {

class ScheduleExecutor {
 public:
  /// @param public_url the daemon as PortOne reaches it, without a trailing slash.
  /// @param payment_type the payment type of every scheduled payment's webhook
  ///        (`recurring.payment_type`).
  ScheduleExecutor(const portone::PortOneClient& portone, std::string public_url,
                   std::string payment_type)
      : portone_(portone),
        public_url_(std::move(public_url)),
        payment_type_(std::move(payment_type)) {}

  /// PAYMENT_SCHEDULE_ALREADY_EXISTS and ALREADY_PAID(_OR_WAITING) count as
  /// done: the payment id is derived from subscription, cycle and attempt, so
  /// PortOne holds exactly the schedule this item asked for.
  Attempt execute(const std::string& payload) const;

  /// The webhook URL for a scheduled payment's notices.
  std::string noticeUrl(const std::string& user_id, const std::string& plan_id) const;

 private:
  const portone::PortOneClient& portone_;
  std::string public_url_;
  std::string payment_type_;
};

}  // namespace paymentd::outbox
