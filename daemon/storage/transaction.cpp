#include "storage/transaction.h"

#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

ConnectionPool::Lease begun(Database& database, Connection::Access access) {
  for (int attempt = 1;; ++attempt) {
    ConnectionPool::Lease lease = database.connection();
    try {
      lease->begin(access);
      return lease;
    } catch (const Transient&) {
      if (attempt > 1 || !lease->broken()) throw;
    }
  }
}

}  // namespace

Transaction::Transaction(Database& database, Connection::Access access)
    : database_(database),
      connection_(begun(database, access)),
      statements_at_start_(connection_->statements() - 1),
      events_(
          *connection_, [&database] { return database.now(); }, database.eventsEnabled()),
      store_(
          *connection_, [&database] { return database.now(); }, events_),
      subscriptions_(
          *connection_, [&database] { return database.now(); }, events_) {}

Transaction::~Transaction() {
  if (connection_->inTransaction()) connection_->rollback();
}

void Transaction::recordFulfilment(const FulfilledPayment& payment) {
  const std::optional<std::int64_t> subscription =
      payment.subscription_id ? payment.subscription_id : store_.paidSubscription();
  connection_->execute(
      "INSERT INTO payments (id, payment_type, user_id, plan_id, subscription_id, coupon_id, "
      "amount, "
      "currency, fulfilled_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {payment.payment_id, payment.payment_type, payment.user_id, payment.plan_id,
       subscription ? std::optional<Poco::Int64>(*subscription) : std::nullopt, payment.coupon_id,
       Poco::Int64{payment.amount}, payment.currency, toMicros(database_.now())});
}

bool Transaction::recordBillingFailure(const BillingFailureRow& failure) {
  using Poco::Data::Keywords::bind;
  const std::size_t inserted = connection_->run(
      "INSERT INTO billing_failures (payment_id, subscription_id, cycle, attempt, "
      "failure_number, outcome, created_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (payment_id) DO NOTHING",
      [&](Poco::Data::Statement& s) {
        s, bind(failure.payment_id), bind(static_cast<Poco::Int64>(failure.subscription_id)),
            bind(static_cast<Poco::Int64>(failure.cycle)),
            bind(static_cast<Poco::Int64>(failure.attempt)),
            bind(static_cast<Poco::Int64>(failure.failure_number)), bind(failure.outcome),
            bind(toMicros(failure.at));
      });
  return inserted > 0;
}

std::vector<std::string> Transaction::settleCycle(const ScheduleEntry& paid) {
  ScheduleLedger& ledger = schedules();
  ledger.markPaid(paid.payment_id);
  const auto withdrawn =
      ledger.revokeOtherAttempts(paid.request.subscription_id, paid.request.cycle, paid.payment_id);
  for (const std::string& payment_id : withdrawn) store_.enqueueRevocation(payment_id);
  return withdrawn;
}

bool Transaction::revokeSchedule(const std::string& payment_id) {
  if (!schedules().revoke(payment_id)) return false;
  store_.enqueueRevocation(payment_id);
  return true;
}

void Transaction::commit() {
  connection_->commit();
}

void Transaction::rollback() {
  if (connection_->inTransaction()) connection_->rollback();
}

}  // namespace paymentd::storage
