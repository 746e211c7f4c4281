#include "storage/operator_refunds.h"

#include "storage/errors.h"
#include "storage/nullable_codec.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

OperatorRefund::Status statusFrom(const std::string& name) {
  if (name == "DONE") return OperatorRefund::Status::kDone;
  if (name == "FAILED") return OperatorRefund::Status::kFailed;
  if (name == "INTENDED") return OperatorRefund::Status::kIntended;
  throw Error("unknown operator refund status '" + name + "' in the database");
}

std::optional<OperatorRefund> find(Connection& connection, const std::string& key) {
  OperatorRefund refund;
  std::string status;
  const std::size_t rows = connection.run(
      "SELECT payment_id, amount, cancellable_before, status, actor, reason, detail FROM "
      "operator_refunds WHERE idempotency_key = $1",
      [&](Statement& s) {
        s, useRef(key), into(refund.payment_id), into(refund.amount),
            into(refund.cancellable_before), into(status), into(refund.actor), into(refund.reason),
            into(refund.detail);
      });
  if (rows == 0) return std::nullopt;
  refund.idempotency_key = key;
  refund.status = statusFrom(status);
  return refund;
}

}  // namespace

std::optional<RefundablePayment> findRefundablePayment(Database& database,
                                                       const std::string& payment_id) {
  return database.withConnection(
      [&](Connection& connection) -> std::optional<RefundablePayment> {
        RefundablePayment payment;
        Poco::Nullable<Poco::Int64> subscription;
        const std::size_t rows = connection.run(
            "SELECT user_id, subscription_id, amount, refunded_amount FROM payments WHERE id = $1",
            [&](Statement& s) {
              s, useRef(payment_id), into(payment.user_id), into(subscription),
                  into(payment.amount), into(payment.refunded_amount);
            });
        if (rows == 0) return std::nullopt;
        payment.payment_id = payment_id;
        if (!subscription.isNull()) payment.subscription_id = subscription.value();
        return payment;
      },
      true);
}

std::optional<OperatorRefund> findOperatorRefund(Database& database, const std::string& key) {
  return database.withConnection([&](Connection& connection) { return find(connection, key); },
                                 true);
}

OperatorRefund recordRefundIntent(Database& database, const OperatorRefund& refund) {
  return database.withConnection(
      [&](Connection& connection) {
        const Poco::Int64 now = toMicros(database.now());
        connection.execute(
            "INSERT INTO operator_refunds (idempotency_key, payment_id, amount, "
            "cancellable_before, status, actor, reason, created_at_us, updated_at_us) VALUES ($1, "
            "$2, $3, $4, 'INTENDED', $5, $6, $7, $7) ON CONFLICT (idempotency_key) DO NOTHING",
            {refund.idempotency_key, refund.payment_id, Poco::Int64{refund.amount},
             Poco::Int64{refund.cancellable_before}, refund.actor, refund.reason, now});
        return find(connection, refund.idempotency_key).value_or(refund);
      },
      true);
}

void markRefundFailed(Database& database, const std::string& key, const std::string& detail) {
  database.withConnection(
      [&](Connection& connection) {
        connection.execute(
            "UPDATE operator_refunds SET status = 'FAILED', detail = $1, updated_at_us = $2 WHERE "
            "idempotency_key = $3 AND status <> 'DONE'",
            {detail, toMicros(database.now()), key});
      },
      true);
}

bool markRefundDone(Connection& connection, const OperatorRefund& refund, Timestamp now) {
  const bool changed =
      connection.execute(
          "UPDATE operator_refunds SET status = 'DONE', detail = '', updated_at_us = $1 WHERE "
          "idempotency_key = $2 AND status <> 'DONE'",
          {toMicros(now), refund.idempotency_key}) > 0;
  if (!changed) return false;
  connection.execute("UPDATE payments SET refunded_amount = refunded_amount + $1 WHERE id = $2",
                     {Poco::Int64{refund.amount}, refund.payment_id});
  return true;
}

std::int64_t refundsInFlight(Connection& connection, const std::string& payment_id) {
  Poco::Int64 amount = 0;
  connection.run(
      "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM operator_refunds WHERE payment_id = "
      "$1 AND status = "
      "'INTENDED'",
      [&](Statement& s) { s, useRef(payment_id), into(amount); });
  return amount;
}

bool recordCancelledOutside(Connection& connection, const std::string& payment_id,
                            std::int64_t refunded_before, std::int64_t amount) {
  return connection.execute(
             "UPDATE payments SET refunded_amount = refunded_amount + $1, cancelled_at_portone = "
             "cancelled_at_portone + $1 WHERE id = $2 AND refunded_amount = $3",
             {Poco::Int64{amount}, payment_id, Poco::Int64{refunded_before}}) > 0;
}

}  // namespace paymentd::storage
