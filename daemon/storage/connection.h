// storage/connection.h: one database session, wrapped so that every statement
// is counted and every driver error leaves as a storage exception.
//
// Not thread-safe: a Connection is leased to one thread at a time by the pool.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "storage/errors.h"

namespace paymentd::storage {

/// A parameter of Connection::execute(); an empty optional is SQL NULL.
using Param = std::variant<Poco::Int64, std::string, bool, std::optional<Poco::Int64>,
                           std::optional<std::string>>;

class Connection {
 public:
  Connection(Poco::Data::Session session, Backend backend, std::uint64_t generation,
             std::atomic<std::uint64_t>& total_statements);

  Backend backend() const { return backend_; }
  std::uint64_t generation() const { return generation_; }
  /// True once an error showed the session is gone; the pool drops it then.
  bool broken() const { return broken_; }
  /// Statements this connection sent (each one a round trip or more).
  std::uint64_t statements() const { return statements_; }

  /// Runs one SQL statement with `$1..$n` placeholders; `bind(statement)` adds
  /// the use()/bind()/into() parts. Returns what Poco's execute() returns:
  /// rows extracted for a query, rows affected otherwise.
  template <typename Bind>
  std::size_t run(const std::string& sql, Bind&& bind) {
    try {
      Poco::Data::Statement statement(session_);
      statement << sql;
      bind(statement);
      count();
      return statement.execute();
    } catch (const Poco::Exception& e) {
      fail(e);
    } catch (const std::exception& e) {
      failOther(e);
    }
  }
  std::size_t run(const std::string& sql) {
    return run(sql, [](Poco::Data::Statement&) {});
  }

  /// Runs a statement that returns no rows in one round trip; for hot paths.
  /// Returns the rows affected. Throws like run().
  std::size_t execute(const std::string& sql, const std::vector<Param>& params);

  /// kWrite: PostgreSQL BEGIN; SQLite BEGIN IMMEDIATE, so that the one writer
  /// is chosen at the start (with the busy timeout) and not at the first
  /// write, where SQLite fails at once instead of waiting. kRead: a plain BEGIN
  /// on both, one consistent view that holds no writer off.
  enum class Access { kWrite, kRead };
  void begin(Access access = Access::kWrite);
  void commit();
  void rollback() noexcept;
  bool inTransaction() const { return in_transaction_; }

 private:
  void count();
  [[noreturn]] void fail(const Poco::Exception& error);
  [[noreturn]] void failOther(const std::exception& error);
  std::size_t executePostgres(const std::string& sql, const std::vector<Param>& params);

  Poco::Data::Session session_;
  Backend backend_;
  std::uint64_t generation_;
  std::atomic<std::uint64_t>& total_statements_;
  std::uint64_t statements_ = 0;
  bool broken_ = false;
  bool in_transaction_ = false;
};

}  // namespace paymentd::storage
