#include "storage/transaction.h"

#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

ConnectionPool::Lease begun(Database& database) {
  for (int attempt = 1;; ++attempt) {
    ConnectionPool::Lease lease = database.connection();
    try {
      lease->begin();
      return lease;
    } catch (const Transient&) {
      if (attempt > 1 || !lease->broken()) throw;
    }
  }
}

}  // namespace

Transaction::Transaction(Database& database)
    : database_(database),
      connection_(begun(database)),
      statements_at_start_(connection_->statements() - 1),
      store_(*connection_, [&database] { return database.now(); }) {}

Transaction::~Transaction() {
  if (connection_->inTransaction()) connection_->rollback();
}

void Transaction::recordFulfilment(const FulfilledPayment& payment) {
  using Poco::Data::Keywords::bind;
  using Poco::Data::Keywords::useRef;
  auto nullable = [](const auto& value) {
    using T = std::decay_t<decltype(*value)>;
    using Stored = std::conditional_t<std::is_integral_v<T>, Poco::Int64, T>;
    return value ? Poco::Nullable<Stored>(static_cast<Stored>(*value)) : Poco::Nullable<Stored>();
  };
  connection_->run(
      "INSERT INTO payments (id, payment_type, user_id, plan_id, subscription_id, coupon_id, "
      "amount, "
      "currency, fulfilled_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      [&](Poco::Data::Statement& s) {
        s, useRef(payment.payment_id), useRef(payment.payment_type), useRef(payment.user_id),
            bind(nullable(payment.plan_id)), bind(nullable(payment.subscription_id)),
            bind(nullable(payment.coupon_id)), bind(static_cast<Poco::Int64>(payment.amount)),
            useRef(payment.currency), bind(toMicros(database_.now()));
      });
}

void Transaction::commit() {
  connection_->commit();
}

void Transaction::rollback() {
  if (connection_->inTransaction()) connection_->rollback();
}

}  // namespace paymentd::storage
