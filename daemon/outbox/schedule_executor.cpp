#include "outbox/schedule_executor.h"

#include <Poco/URI.h>

#include <set>

#include "portone/api_error.h"
#include "storage/schedule_payload.h"

namespace paymentd::outbox {
namespace {

// PortOne's verdicts that no retry can change.
const std::set<std::string>& permanentErrors() {
  static const std::set<std::string> kPermanent = {"BILLING_KEY_NOT_FOUND",
                                                   "BILLING_KEY_ALREADY_DELETED", "INVALID_REQUEST",
                                                   "SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT"};
  return kPermanent;
}

std::string query(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "&=+?#/ ", out);
  return out;
}

}  // namespace

std::string ScheduleExecutor::noticeUrl(const std::string& user_id,
                                        const std::string& plan_id) const {
  return public_url_ + "/api/v1/payment/webhook?user_id=" + query(user_id) +
         "&subscribe_id=" + query(plan_id) + "&payment_type=" + query(payment_type_);
}

Attempt ScheduleExecutor::execute(const std::string& payload) const {
  portone::PaymentScheduleRequest request;
  try {
    const SchedulePaymentRequest schedule = storage::parseSchedulePayload(payload);
    request.payment_id =
        scheduledPaymentId(schedule.subscription_id, schedule.cycle, schedule.attempt);
    request.charge.billing_key = schedule.billing_key;
    request.charge.order_name = schedule.order_name;
    request.charge.customer_id = schedule.user_id;
    request.charge.amount = schedule.amount;
    request.charge.currency = schedule.currency;
    // schedule.payment_type is not read: the host's setting decides (schedule_executor.h).
    request.charge.notice_urls = {noticeUrl(schedule.user_id, schedule.plan_id)};
    request.time_to_pay = schedule.time_to_pay;
  } catch (const std::invalid_argument& e) {
    return {Attempt::Result::kDead, std::string("bad schedule_payment payload: ") + e.what()};
  }
  // The same key on every retry: a lost answer is replayed, not repeated.
  request.idempotency_key = "paymentd-schedule-" + request.payment_id;
  try {
    const std::string schedule_id = portone_.createPaymentSchedule(request);
    return {Attempt::Result::kDone, request.payment_id + " scheduled as " + schedule_id};
  } catch (const portone::TransientError& e) {
    return {Attempt::Result::kRetry, e.what()};
  } catch (const portone::ApiError& e) {
    const std::string& type = e.type();
    if (type == "PAYMENT_SCHEDULE_ALREADY_EXISTS" || type == "ALREADY_PAID" ||
        type == "ALREADY_PAID_OR_WAITING") {
      return {Attempt::Result::kDone, request.payment_id + " " + type + " (counts as done)"};
    }
    const Attempt::Result result =
        permanentErrors().count(type) != 0 ? Attempt::Result::kDead : Attempt::Result::kRetry;
    return {result, type + ": " + e.apiMessage()};
  }
}

}  // namespace paymentd::outbox
