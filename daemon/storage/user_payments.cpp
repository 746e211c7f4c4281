#include "storage/user_payments.h"

#include <algorithm>

#include "storage/nullable_codec.h"
#include "storage/payment_log.h"
#include "storage/time_codec.h"

namespace paymentd::storage {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

std::vector<UserPayment> paymentsOfUser(Connection& connection, const std::string& user_id,
                                        std::size_t limit) {
  std::vector<UserPayment> payments;
  {
    std::vector<std::string> id;
    std::vector<std::string> type;
    std::vector<Poco::Int64> amount;
    std::vector<Poco::Int64> refunded;
    std::vector<Poco::Int64> outside;
    std::vector<Poco::Int64> at;
    connection.run(
        "SELECT id, payment_type, amount, refunded_amount, cancelled_at_portone, fulfilled_at_us "
        "FROM payments WHERE user_id = $1 ORDER BY fulfilled_at_us DESC LIMIT $2",
        [&](Statement& s) {
          s, useRef(user_id), bind(static_cast<Poco::Int64>(limit)), into(id), into(type),
              into(amount), into(refunded), into(outside), into(at);
        });
    for (std::size_t i = 0; i < id.size(); ++i) {
      UserPayment p;
      p.payment_id = id[i];
      p.status = "completed";
      p.payment_type = type[i];
      p.amount = amount[i];
      p.refunded_amount = refunded[i];
      p.cancelled_at_portone = outside[i];
      p.refunded = refunded[i] > 0;
      if (p.refunded) {
        p.reason = outside[i] == refunded[i] ? kCancelledAtPortOneCode : kRefundedByOperatorCode;
      }
      p.at = fromMicros(at[i]);
      payments.push_back(std::move(p));
    }
  }
  {
    // Renewals PortOne declined: the ledger knows what was asked.
    std::vector<std::string> id;
    std::vector<Poco::Int64> amount;
    std::vector<Poco::Int64> at;
    connection.run(
        "SELECT b.payment_id, s.amount, b.created_at_us FROM billing_failures b JOIN "
        "payment_schedules s ON s.payment_id = b.payment_id WHERE s.user_id = $1 ORDER BY "
        "b.created_at_us DESC LIMIT $2",
        [&](Statement& s) {
          s, useRef(user_id), bind(static_cast<Poco::Int64>(limit)), into(id), into(amount),
              into(at);
        });
    for (std::size_t i = 0; i < id.size(); ++i) {
      UserPayment p;
      p.payment_id = id[i];
      p.status = "failed";
      p.amount = amount[i];
      p.reason = "BILLING_FAILED";
      p.at = fromMicros(at[i]);
      payments.push_back(std::move(p));
    }
  }
  std::stable_sort(payments.begin(), payments.end(),
                   [](const UserPayment& a, const UserPayment& b) { return a.at > b.at; });
  return payments;
}

}  // namespace paymentd::storage
