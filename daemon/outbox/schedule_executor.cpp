#include "outbox/schedule_executor.h"

#include <Poco/URI.h>

#include <set>

#include "failpoint/failpoint.h"
#include "outbox/v1_schedules.h"
#include "portone/api_error.h"
#include "storage/errors.h"
#include "storage/outbox_queue.h"
#include "storage/schedule_ledger.h"
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

// A V1 subscription's row on a daemon started without `portone.v1`: kept for one that has it.
Attempt v1NotConfigured(const std::string& payment_id) {
  return {Attempt::Result::kRetry, payment_id + " is a V1 schedule: portone.v1 is not configured"};
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

std::string ScheduleExecutor::v1NoticeUrl() const {
  return public_url_ + "/api/v1/payment/webhook/iamport";
}

Attempt ScheduleExecutor::executeV1(const storage::ScheduleEntry& entry) const {
  if (v1_ == nullptr) return v1NotConfigured(entry.payment_id);
  std::string notice_url;
  try {
    notice_url = entry.notice_url
                     ? *entry.notice_url
                     : storage::fixScheduleNoticeUrl(database_, entry.payment_id, v1NoticeUrl());
  } catch (const storage::Error& e) {
    return {Attempt::Result::kRetry, std::string("the schedule ledger: ") + e.what()};
  }
  return sendV1Schedule(*v1_, database_, entry, notice_url);
}

Attempt ScheduleExecutor::execute(const std::string& payload) const {
  const auto payment_id = storage::schedulePaymentIdOf(payload);
  if (!payment_id) return {Attempt::Result::kDead, "schedule_payment payload names no payment"};
  std::optional<storage::ScheduleEntry> entry;
  try {
    entry = storage::findSchedule(database_, *payment_id);
  } catch (const storage::Error& e) {
    return {Attempt::Result::kRetry, std::string("the schedule ledger: ") + e.what()};
  }
  if (!entry) return {Attempt::Result::kDead, "no schedule recorded for " + *payment_id};
  if (entry->status != storage::ScheduleStatus::kPending &&
      entry->status != storage::ScheduleStatus::kScheduled) {
    return {Attempt::Result::kDone,
            *payment_id + " is " + storage::scheduleStatusName(entry->status) + ": not sent"};
  }
  if (entry->portone_version == storage::PortOneVersion::kV1) return executeV1(*entry);
  const SchedulePaymentRequest& schedule = entry->request;
  portone::PaymentScheduleRequest request;
  request.payment_id = *payment_id;
  request.charge.billing_key = schedule.billing_key;
  request.charge.order_name = schedule.order_name;
  request.charge.customer_id = schedule.user_id;
  request.charge.amount = schedule.amount;
  request.charge.currency = schedule.currency;
  request.time_to_pay = schedule.time_to_pay;
  try {
    // One body per Idempotency-Key, whichever daemon sends it: the first send fixes the URL.
    request.charge.notice_urls = {
        entry->notice_url
            ? *entry->notice_url
            : storage::fixScheduleNoticeUrl(database_, *payment_id,
                                            noticeUrl(schedule.user_id, schedule.plan_id))};
  } catch (const storage::Error& e) {
    return {Attempt::Result::kRetry, std::string("the schedule ledger: ") + e.what()};
  }
  // The same key on every retry: a lost answer is replayed, not repeated.
  request.idempotency_key = "paymentd-schedule-" + request.payment_id;
  Attempt attempt;
  std::optional<std::string> schedule_id;
  try {
    schedule_id = portone_.createPaymentSchedule(request);
    attempt = {Attempt::Result::kDone, request.payment_id + " scheduled as " + *schedule_id};
    failpoint::hit(failpoint::kAfterScheduleSent);
  } catch (const portone::TransientError& e) {
    return {Attempt::Result::kRetry, e.what()};
  } catch (const portone::ApiError& e) {
    const std::string& type = e.type();
    if (type != "PAYMENT_SCHEDULE_ALREADY_EXISTS" && type != "ALREADY_PAID" &&
        type != "ALREADY_PAID_OR_WAITING") {
      const Attempt::Result result =
          permanentErrors().count(type) != 0 ? Attempt::Result::kDead : Attempt::Result::kRetry;
      return {result, type + ": " + e.apiMessage()};
    }
    attempt = {Attempt::Result::kDone, request.payment_id + " " + type + " (counts as done)"};
  }
  try {
    storage::markScheduleAccepted(database_, request.payment_id, schedule_id);
  } catch (const storage::Error& e) {
    // Sent again later under the same Idempotency-Key: PortOne replays its answer.
    return {Attempt::Result::kRetry, attempt.detail + ", not yet marked: " + e.what()};
  }
  return attempt;
}

Attempt ScheduleExecutor::revoke(const std::string& payload) const {
  const auto payment_id = storage::schedulePaymentIdOf(payload);
  if (!payment_id) return {Attempt::Result::kDead, "revoke_schedule payload names no payment"};
  std::optional<storage::ScheduleEntry> entry;
  std::optional<std::string> sent;
  try {
    entry = storage::findSchedule(database_, *payment_id);
    sent = storage::OutboxQueue(database_).statusOf(storage::scheduleDedupeKey(*payment_id));
  } catch (const storage::Error& e) {
    return {Attempt::Result::kRetry, std::string("the schedule ledger: ") + e.what()};
  }
  if (!entry) return {Attempt::Result::kDead, "no schedule recorded for " + *payment_id};
  if (!entry->portone_schedule_id) {
    if (sent == std::string("PENDING")) {
      return {Attempt::Result::kRetry, *payment_id + " is not at PortOne yet"};
    }
    return {Attempt::Result::kDone, *payment_id + ": PortOne holds no schedule paymentd knows of"};
  }
  if (entry->portone_version == storage::PortOneVersion::kV1) {
    if (v1_ == nullptr) return v1NotConfigured(*payment_id);
    return revokeV1Schedule(*v1_, *entry);
  }
  portone::RevokeSchedulesRequest request;
  request.schedule_ids = {*entry->portone_schedule_id};
  request.idempotency_key = "paymentd-revoke-" + *payment_id;
  try {
    portone_.revokePaymentSchedules(request);
    return {Attempt::Result::kDone, *payment_id + " revoked (" + request.schedule_ids[0] + ")"};
  } catch (const portone::TransientError& e) {
    return {Attempt::Result::kRetry, e.what()};
  } catch (const portone::ApiError& e) {
    const std::string& type = e.type();
    if (type == "PAYMENT_SCHEDULE_ALREADY_REVOKED" || type == "PAYMENT_SCHEDULE_NOT_FOUND" ||
        type == "PAYMENT_SCHEDULE_ALREADY_PROCESSED") {
      return {Attempt::Result::kDone, *payment_id + " " + type + " (nothing left to revoke)"};
    }
    const Attempt::Result result =
        permanentErrors().count(type) != 0 ? Attempt::Result::kDead : Attempt::Result::kRetry;
    return {result, type + ": " + e.apiMessage()};
  }
}

}  // namespace paymentd::outbox
