#include "storage/schedule_backfill.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "storage/errors.h"
#include "storage/schedule_ledger.h"
#include "storage/schedule_payload.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

bool exists(Connection& connection, const std::string& sql, const std::string& payment_id) {
  Poco::Int64 rows = 0;
  connection.run(sql, [&](Poco::Data::Statement& s) { s, useRef(payment_id), into(rows); });
  return rows > 0;
}

ScheduleStatus statusOf(Connection& connection, ScheduleLedger& ledger,
                        const SchedulePaymentRequest& request, const std::string& payment_id,
                        const std::string& item_status) {
  if (exists(connection, "SELECT COUNT(*) FROM payments WHERE id = $1", payment_id)) {
    return ledger.paidAttempt(request.subscription_id, request.cycle) ? ScheduleStatus::kPaidTwice
                                                                      : ScheduleStatus::kPaid;
  }
  if (exists(connection, "SELECT COUNT(*) FROM billing_failures WHERE payment_id = $1",
             payment_id)) {
    return ScheduleStatus::kFailed;
  }
  return item_status == "DONE" ? ScheduleStatus::kScheduled : ScheduleStatus::kPending;
}

}  // namespace

void backfillScheduleLedger(Connection& connection, Timestamp now) {
  std::vector<std::string> payloads;
  std::vector<std::string> item_statuses;
  const std::string kind = kOutboxSchedulePayment;
  connection.run(
      "SELECT o.payload, o.status FROM outbox o WHERE o.kind = $1 ORDER BY o.id",
      [&](Poco::Data::Statement& s) { s, useRef(kind), into(payloads), into(item_statuses); });
  ScheduleLedger ledger(
      connection, [now] { return now; }, ScheduleLedger::BeforeVersions{});
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    SchedulePaymentRequest request;
    try {
      request = parseSchedulePayload(payloads[i]);
    } catch (const std::invalid_argument&) {
      continue;
    }
    const std::string payment_id =
        scheduledPaymentId(request.subscription_id, request.cycle, request.attempt);
    Poco::Int64 subscriptions = 0;
    connection.run(
        "SELECT COUNT(*) FROM subscriptions WHERE id = $1", [&](Poco::Data::Statement& s) {
          s, Poco::Data::Keywords::bind(Poco::Int64{request.subscription_id}), into(subscriptions);
        });
    if (subscriptions == 0) continue;
    try {
      if (!ledger.record(request)) continue;
    } catch (const Invalid&) {
      continue;
    }
    const ScheduleStatus status =
        statusOf(connection, ledger, request, payment_id, item_statuses[i]);
    connection.execute("UPDATE payment_schedules SET status = $1 WHERE payment_id = $2",
                       {std::string(scheduleStatusName(status)), payment_id});
  }
}

}  // namespace paymentd::storage
