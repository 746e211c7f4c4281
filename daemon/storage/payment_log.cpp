#include "storage/payment_log.h"

#include "storage/nullable_codec.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

RefundState refundFrom(const std::string& name) {
  if (name == "INTENDED") return RefundState::kIntended;
  if (name == "DONE") return RefundState::kDone;
  if (name == "FAILED") return RefundState::kFailed;
  return RefundState::kNone;
}

}  // namespace

const char* refundStateName(RefundState state) {
  switch (state) {
    case RefundState::kIntended:
      return "INTENDED";
    case RefundState::kDone:
      return "DONE";
    case RefundState::kFailed:
      return "FAILED";
    case RefundState::kNone:
      break;
  }
  return "NONE";
}

const char* checkStatusName(PaymentCheck::Status status) {
  switch (status) {
    case PaymentCheck::Status::kCompleted:
      return "completed";
    case PaymentCheck::Status::kFailed:
      return "failed";
    case PaymentCheck::Status::kPending:
      break;
  }
  return "pending";
}

void PaymentLog::recordEvent(const PaymentEvent& event) {
  recordEvents({event});
}

void PaymentLog::recordEvents(const std::vector<PaymentEvent>& events) {
  if (events.empty()) return;
  // One multi-row INSERT: a payment's steps arrive together after its transaction.
  std::string sql =
      "INSERT INTO payment_events (payment_id, at_us, stage, result, detail, duration_us) VALUES ";
  std::vector<Param> params;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::size_t n = i * 6;
    sql += (i ? ", ($" : "($") + std::to_string(n + 1) + ", $" + std::to_string(n + 2) + ", $" +
           std::to_string(n + 3) + ", $" + std::to_string(n + 4) + ", $" + std::to_string(n + 5) +
           ", $" + std::to_string(n + 6) + ")";
    const PaymentEvent& e = events[i];
    params.insert(params.end(), {e.payment_id, toMicros(e.at), e.stage, e.result, e.detail,
                                 static_cast<Poco::Int64>(e.duration.count())});
  }
  // Not retried on a lost connection: the insert may have landed.
  database_.withConnection([&](Connection& connection) { connection.execute(sql, params); }, false);
}

void PaymentLog::recordFailure(const PaymentFailure& failure) {
  const Poco::Nullable<std::string> type = failure.payment_type
                                               ? Poco::Nullable<std::string>(*failure.payment_type)
                                               : Poco::Nullable<std::string>();
  database_.withConnection(
      [&](Connection& connection) {
        connection.run(
            "INSERT INTO payment_failures (payment_id, payment_type, code, message, refund, "
            "created_at_us, "
            "updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (payment_id) DO UPDATE "
            "SET "
            "payment_type = excluded.payment_type, code = excluded.code, message = "
            "excluded.message, "
            "refund = excluded.refund, updated_at_us = excluded.updated_at_us",
            [&](Statement& s) {
              s, useRef(failure.payment_id), bind(type), useRef(failure.code),
                  useRef(failure.message), bind(std::string(refundStateName(failure.refund))),
                  bind(toMicros(database_.now()));
            });
      },
      true);  // an upsert: safe to repeat
}

void PaymentLog::setRefund(const std::string& payment_id, RefundState refund,
                           const std::optional<RefundedPayment>& refunded) {
  const bool tell = refunded && database_.eventsEnabled();
  database_.withConnection(
      [&](Connection& connection) {
        if (tell) connection.begin();
        try {
          const std::size_t rows = connection.run(
              "UPDATE payment_failures SET refund = $1, updated_at_us = $2 WHERE payment_id = $3",
              [&](Statement& s) {
                s, bind(std::string(refundStateName(refund))), bind(toMicros(database_.now())),
                    useRef(payment_id);
              });
          if (rows == 0) throw Error("no failure recorded for payment " + payment_id);
          if (tell) {
            EventOutbox(
                connection, [this] { return database_.now(); }, true)
                .paymentRefunded(*refunded);
            connection.commit();
          }
        } catch (...) {
          if (connection.inTransaction()) connection.rollback();
          throw;
        }
      },
      true);
}

std::optional<PaymentFailure> PaymentLog::failure(const std::string& payment_id) {
  return database_.withConnection(
      [&](Connection& connection) -> std::optional<PaymentFailure> {
        PaymentFailure failure;
        Poco::Nullable<std::string> type;
        std::string refund;
        const std::size_t rows = connection.run(
            "SELECT payment_id, payment_type, code, message, refund FROM payment_failures WHERE "
            "payment_id = $1",
            [&](Statement& s) {
              s, useRef(payment_id), into(failure.payment_id), into(type), into(failure.code),
                  into(failure.message), into(refund);
            });
        if (rows == 0) return std::nullopt;
        failure.payment_type = fromNullable(type);
        failure.refund = refundFrom(refund);
        return failure;
      },
      true);
}

std::vector<PaymentFailure> PaymentLog::unfinishedRefunds(Timestamp before, Timestamp since,
                                                          std::size_t limit) {
  return database_.withConnection(
      [&](Connection& connection) {
        std::vector<std::string> id;
        std::vector<Poco::Nullable<std::string>> type;
        std::vector<std::string> code;
        std::vector<std::string> message;
        std::vector<std::string> refund;
        connection.run(
            "SELECT payment_id, payment_type, code, message, refund FROM payment_failures WHERE "
            "refund IN ('INTENDED', 'FAILED') AND updated_at_us < $1 AND created_at_us >= $2 "
            "ORDER BY updated_at_us LIMIT $3",
            [&](Statement& s) {
              s, bind(toMicros(before)), bind(toMicros(since)),
                  bind(static_cast<Poco::Int64>(limit)), into(id), into(type), into(code),
                  into(message), into(refund);
            });
        std::vector<PaymentFailure> failures;
        for (std::size_t i = 0; i < id.size(); ++i) {
          failures.push_back(PaymentFailure{id[i], fromNullable(type[i]), code[i], message[i],
                                            refundFrom(refund[i])});
        }
        return failures;
      },
      true);
}

PaymentCheck PaymentLog::check(const std::string& payment_id) {
  // One statement: the browser polls this once a second per payment.
  return database_.withConnection(
      [&](Connection& connection) {
        Poco::Nullable<std::string> fulfilled_type;
        Poco::Nullable<std::string> failed_type;
        Poco::Nullable<std::string> code;
        Poco::Nullable<std::string> refund;
        Poco::Nullable<Poco::Int64> refunded_amount;
        Poco::Nullable<Poco::Int64> cancelled_at_portone;
        connection.run(
            "SELECT p.payment_type, p.refunded_amount, p.cancelled_at_portone, f.payment_type, "
            "f.code, f.refund FROM (SELECT CAST($1 AS TEXT) AS id) k LEFT JOIN payments p ON p.id "
            "= k.id LEFT JOIN payment_failures f ON f.payment_id = k.id",
            [&](Statement& s) {
              s, useRef(payment_id), into(fulfilled_type), into(refunded_amount),
                  into(cancelled_at_portone), into(failed_type), into(code), into(refund);
            });
        PaymentCheck check;
        if (!fulfilled_type.isNull()) {
          check.status = PaymentCheck::Status::kCompleted;
          check.payment_type = fulfilled_type.value();
          // Fulfilled, then given back (by an operator, or in PortOne's console):
          // still completed, and says so.
          if (!refunded_amount.isNull() && refunded_amount.value() > 0) {
            check.refunded = true;
            check.reason = cancelled_at_portone.value() == refunded_amount.value()
                               ? kCancelledAtPortOneCode
                               : kRefundedByOperatorCode;
          }
        } else if (!code.isNull()) {
          check.status = PaymentCheck::Status::kFailed;
          if (!failed_type.isNull()) check.payment_type = failed_type.value();
          check.reason = code.value();
          check.refunded = refundFrom(refund.value()) == RefundState::kDone;
        }
        return check;
      },
      true);
}

std::vector<PaymentEvent> PaymentLog::events(const std::string& payment_id) {
  return database_.withConnection(
      [&](Connection& connection) {
        std::vector<Poco::Int64> at;
        std::vector<std::string> stage;
        std::vector<std::string> result;
        std::vector<std::string> detail;
        std::vector<Poco::Int64> duration;
        connection.run(
            "SELECT at_us, stage, result, detail, duration_us FROM payment_events WHERE "
            "payment_id = $1 ORDER BY id",
            [&](Statement& s) {
              s, useRef(payment_id), into(at), into(stage), into(result), into(detail),
                  into(duration);
            });
        std::vector<PaymentEvent> events;
        for (std::size_t i = 0; i < at.size(); ++i) {
          events.push_back({payment_id, fromMicros(at[i]), stage[i], result[i], detail[i],
                            std::chrono::microseconds(duration[i])});
        }
        return events;
      },
      true);
}

std::vector<TracedOutboxItem> PaymentLog::outboxItems(const std::string& payment_id) {
  return database_.withConnection(
      [&](Connection& connection) {
        std::vector<std::string> kind;
        std::vector<std::string> key;
        std::vector<std::string> status;
        std::vector<Poco::Int64> attempts;
        std::vector<Poco::Int64> due;
        std::vector<Poco::Nullable<std::string>> error;
        connection.run(
            "SELECT kind, dedupe_key, status, attempts, due_at_us, last_error FROM outbox WHERE "
            "payment_id = $1 ORDER BY id",
            [&](Statement& s) {
              s, useRef(payment_id), into(kind), into(key), into(status), into(attempts), into(due),
                  into(error);
            });
        std::vector<TracedOutboxItem> items;
        for (std::size_t i = 0; i < kind.size(); ++i) {
          items.push_back({kind[i], key[i], status[i], attempts[i], fromMicros(due[i]),
                           error[i].isNull() ? std::string() : error[i].value()});
        }
        return items;
      },
      true);
}

}  // namespace paymentd::storage
