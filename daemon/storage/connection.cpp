#include "storage/connection.h"

#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <libpq-fe.h>

#include <memory>

namespace paymentd::storage {

namespace {

void bindParam(Poco::Data::Statement& statement, const Param& param) {
  using Poco::Data::Keywords::bind;
  std::visit(
      [&statement](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::optional<Poco::Int64>> ||
                      std::is_same_v<T, std::optional<std::string>>) {
          using V = typename T::value_type;
          statement, bind(value ? Poco::Nullable<V>(*value) : Poco::Nullable<V>());
        } else {
          statement, bind(value);
        }
      },
      param);
}

// libpq's text format for each parameter; nullopt is SQL NULL.
std::optional<std::string> pgText(const Param& param) {
  return std::visit(
      [](const auto& value) -> std::optional<std::string> {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, Poco::Int64>) {
          return std::to_string(value);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return value;
        } else if constexpr (std::is_same_v<T, bool>) {
          return std::string(value ? "t" : "f");
        } else if constexpr (std::is_same_v<T, std::optional<Poco::Int64>>) {
          return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
        } else {
          return value;
        }
      },
      param);
}

}  // namespace

std::size_t Connection::execute(const std::string& sql, const std::vector<Param>& params) {
  if (backend_ == Backend::kSqlite) {
    return run(sql, [&](Poco::Data::Statement& statement) {
      for (const Param& param : params) bindParam(statement, param);
    });
  }
  return executePostgres(sql, params);
}

// One round trip (PQexecParams: parse, bind and execute an unnamed statement)
// where Poco takes three (prepare, execute, DEALLOCATE). Keeping Poco
// Statements prepared instead is unsafe in Poco 1.11: after a successful run,
// a failed re-execution leaves a freed PGresult in the statement, which its
// destructor frees again (found with ASan on a duplicate key).
std::size_t Connection::executePostgres(const std::string& sql, const std::vector<Param>& params) {
  auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session_.impl());
  if (impl == nullptr) throw Error("not a PostgreSQL session");
  PGconn* pg = impl->handle();
  std::vector<std::optional<std::string>> texts;
  texts.reserve(params.size());
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& param : params) {
    texts.push_back(pgText(param));
    values.push_back(texts.back() ? texts.back()->c_str() : nullptr);
  }
  count();
  std::unique_ptr<PGresult, void (*)(PGresult*)> result(
      PQexecParams(pg, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                   nullptr, nullptr, 0),
      &PQclear);
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string message = result ? PQresultErrorMessage(result.get()) : PQerrorMessage(pg);
    if (PQstatus(pg) == CONNECTION_BAD) broken_ = true;
    // The same text shape as Poco's own errors, so classify() reads both.
    fail(Poco::Data::PostgreSQL::StatementException("postgresql_exec_params error: " + message +
                                                    " State: " + (state ? state : "N/A")));
  }
  const char* affected = PQcmdTuples(result.get());
  return affected != nullptr && *affected != '\0' ? std::stoul(affected) : 0;
}

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

void Connection::begin(Access access) {
  if (backend_ == Backend::kSqlite) {
    run(access == Access::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
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
