#include "storage/connection.h"

namespace paymentd::storage {

Connection::Connection(Poco::Data::Session session, Backend backend, std::uint64_t generation,
                       std::atomic<std::uint64_t>& total_statements)
    : session_(std::move(session)),
      backend_(backend),
      generation_(generation),
      total_statements_(total_statements) {}

void Connection::count() {
  ++statements_;
  total_statements_.fetch_add(1, std::memory_order_relaxed);
}

void Connection::fail(const Poco::Exception& error) {
  const Classified classified = classify(error, backend_);
  if (classified.lost_connection) broken_ = true;
  raise(classified);
}

void Connection::failOther(const std::exception& error) {
  throw Error(std::string("database driver: ") + error.what());
}

void Connection::begin() {
  if (backend_ == Backend::kSqlite) {
    run("BEGIN IMMEDIATE");
  } else {
    try {
      count();
      session_.begin();
    } catch (const Poco::Exception& e) {
      fail(e);
    }
  }
  in_transaction_ = true;
}

void Connection::commit() {
  // Whatever happens, the transaction is over: a failed COMMIT has rolled back
  // or left the session unusable.
  in_transaction_ = false;
  if (backend_ == Backend::kSqlite) {
    try {
      run("COMMIT");
    } catch (const Error&) {
      rollback();
      throw;
    }
    return;
  }
  try {
    count();
    session_.commit();
  } catch (const Poco::Exception& e) {
    broken_ = true;  // the state of the session is unknown; do not reuse it
    fail(e);
  }
}

void Connection::rollback() noexcept {
  in_transaction_ = false;
  try {
    if (backend_ == Backend::kSqlite) {
      run("ROLLBACK");
    } else {
      count();
      session_.rollback();
    }
  } catch (...) {
    broken_ = true;  // cannot tell what the session holds: drop it
  }
}

}  // namespace paymentd::storage
