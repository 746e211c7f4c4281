#include "storage/scheduled_charge.h"

#include <stdexcept>

#include "storage/schedule_payload.h"

namespace paymentd::storage {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

std::optional<SchedulePaymentRequest> findScheduledCharge(Connection& connection,
                                                          const std::string& payment_id) {
  const std::string key = "schedule:" + payment_id;
  const std::string kind = kOutboxSchedulePayment;
  std::string payload;
  const std::size_t rows = connection.run(
      "SELECT payload FROM outbox WHERE dedupe_key = $1 AND kind = $2",
      [&](Poco::Data::Statement& s) { s, useRef(key), useRef(kind), into(payload); });
  if (rows == 0) return std::nullopt;
  try {
    return parseSchedulePayload(payload);
  } catch (const std::invalid_argument& e) {
    throw Error("the schedule_payment item " + key + " is unreadable: " + e.what());
  }
}

}  // namespace paymentd::storage
