#include "outbox/v1_schedules.h"

#include "portone/api_error.h"
#include "storage/errors.h"

namespace paymentd::outbox {

Attempt sendV1Schedule(const portone::V1Client& v1, storage::Database& database,
                       const storage::ScheduleEntry& entry, const std::string& notice_url) {
  const SchedulePaymentRequest& schedule = entry.request;
  portone::V1Schedule item;
  item.merchant_uid = entry.payment_id;
  item.schedule_at = schedule.time_to_pay;
  item.amount = schedule.amount;
  item.currency = schedule.currency;
  item.name = schedule.order_name;
  item.notice_url = notice_url;
  Attempt attempt;
  try {
    v1.schedule(portone::V1ScheduleRequest{schedule.billing_key, {item}});
    attempt = {Attempt::Result::kDone, entry.payment_id + " scheduled through V1"};
  } catch (const portone::TransientError& e) {
    return {Attempt::Result::kRetry, e.what()};
  } catch (const portone::ApiError& e) {
    return {Attempt::Result::kRetry, "V1 " + e.type() + ": " + e.apiMessage()};
  }
  try {
    storage::markScheduleAccepted(database, entry.payment_id, entry.payment_id);
  } catch (const storage::Error& e) {
    return {Attempt::Result::kRetry, attempt.detail + ", not yet marked: " + e.what()};
  }
  return attempt;
}

Attempt revokeV1Schedule(const portone::V1Client& v1, const storage::ScheduleEntry& entry) {
  try {
    v1.unschedule(portone::V1UnscheduleRequest{entry.request.billing_key, {entry.payment_id}});
    return {Attempt::Result::kDone, entry.payment_id + " unscheduled at V1"};
  } catch (const portone::TransientError& e) {
    return {Attempt::Result::kRetry, e.what()};
  } catch (const portone::ApiError& e) {
    return {Attempt::Result::kDone,
            entry.payment_id + " V1 holds no such schedule (" + e.apiMessage() + ")"};
  }
}

}  // namespace paymentd::outbox
