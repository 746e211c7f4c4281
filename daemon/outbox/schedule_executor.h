// outbox/schedule_executor.h: payment schedules at PortOne, from the schedule
// ledger (storage/schedule_ledger.h). A `schedule_payment` item becomes
// createPaymentSchedule, a `revoke_schedule` item DELETE /payment-schedules.
// Each item names only its payment id; what to charge is the ledger's row.
//
// The notice URL's payment_type is the host's one setting for renewals
// (`recurring.payment_type`), the same the pipeline uses to count failed
// renewals: whatever a processor put in SchedulePaymentRequest::payment_type
// is ignored, so processors and host cannot disagree.
//
// A ledger row of a V1 subscription (portone_version V1) goes through PortOne's V1
// API instead (outbox/v1_schedules.h), with paymentd's V1 webhook as its notice URL.
#pragma once

#include <string>

#include "outbox/attempt.h"
#include "portone/api_client.h"
#include "portone/v1_client.h"
#include "storage/database.h"
#include "storage/schedule_ledger.h"

namespace paymentd::outbox {

class ScheduleExecutor {
 public:
  /// @param public_url the daemon as PortOne reaches it, without a trailing slash.
  /// @param payment_type the payment type of every scheduled payment's webhook
  ///        (`recurring.payment_type`).
  ScheduleExecutor(const portone::PortOneClient& portone, storage::Database& database,
                   std::string public_url, std::string payment_type,
                   const portone::V1Client* v1 = nullptr)
      : portone_(portone),
        v1_(v1),
        database_(database),
        public_url_(std::move(public_url)),
        payment_type_(std::move(payment_type)) {}

  /// Sends a PENDING or SCHEDULED schedule; one paymentd withdrew (or whose
  /// payment is settled) is not sent. PAYMENT_SCHEDULE_ALREADY_EXISTS and
  /// ALREADY_PAID(_OR_WAITING) count as done: the payment id is derived from
  /// subscription, cycle and attempt, so PortOne holds exactly this schedule.
  Attempt execute(const std::string& payload) const;

  /// Withdraws a schedule at PortOne. Waits while its schedule item has not
  /// reached PortOne; done when PortOne already revoked or ran it (a second
  /// paid attempt of a cycle is refunded: pipeline/fulfilment.h).
  Attempt revoke(const std::string& payload) const;

  /// The webhook URL for a scheduled payment's notices.
  std::string noticeUrl(const std::string& user_id, const std::string& plan_id) const;
  /// The V1 webhook URL, every V1 schedule's notice_url (it carries no claims).
  std::string v1NoticeUrl() const;

 private:
  Attempt executeV1(const storage::ScheduleEntry& entry) const;

  const portone::PortOneClient& portone_;
  const portone::V1Client* v1_;  // nullptr without `portone.v1`
  storage::Database& database_;
  std::string public_url_;
  std::string payment_type_;
};

}  // namespace paymentd::outbox
