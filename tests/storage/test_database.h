// storage/test_database.h: a fresh, empty database per test on either backend:
// a temporary SQLite file, or a database with a random name on the PostgreSQL
// server named by PAYMENTD_TEST_POSTGRES (dropped afterwards).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "storage/database.h"
#include "support/temp_dir.h"

namespace paymentd::testing {

struct SqliteBackend {
  static constexpr storage::Backend kBackend = storage::Backend::kSqlite;
};
struct PostgresBackend {
  static constexpr storage::Backend kBackend = storage::Backend::kPostgres;
};

class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return T::kBackend == storage::Backend::kSqlite ? "Sqlite" : "Postgres";
  }
};

/// PAYMENTD_TEST_POSTGRES as key=value pairs, or nullopt when unset.
std::optional<std::string> postgresServer();

/// Why a PostgreSQL test cannot run, or nullopt when it can. Tests GTEST_SKIP
/// with the reason, unless PAYMENTD_TEST_REQUIRE_SERVERS=1 (then they fail).
std::optional<std::string> postgresMissing();

class TestDatabase {
 public:
  explicit TestDatabase(storage::Backend backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const TempDir& dir() const { return dir_; }
  std::shared_ptr<storage::Database> open(storage::DatabaseOptions options = {}) const;
  /// PostgreSQL: the database's name. drop() removes it now (sessions included).
  const std::string& name() const { return pg_name_; }
  void drop();

 private:
  storage::Backend backend_;
  TempDir dir_;
  std::string url_;
  std::string pg_name_;
};

/// Runs a query returning one integer, on its own connection.
std::int64_t queryInt(storage::Database& database, const std::string& sql);
/// Runs a query returning one text value (empty for NULL or no row).
std::string queryText(storage::Database& database, const std::string& sql);
void execute(storage::Database& database, const std::string& sql);

}  // namespace paymentd::testing

/// In a fixture's SetUp: skip (or fail, when servers are required) without PostgreSQL.
#define PAYMENTD_REQUIRE_BACKEND(backend)                                          \
  do {                                                                             \
    if ((backend) == ::paymentd::storage::Backend::kPostgres) {                    \
      if (auto missing = ::paymentd::testing::postgresMissing()) {                 \
        const char* require = std::getenv("PAYMENTD_TEST_REQUIRE_SERVERS");        \
        if (require != nullptr && std::string(require) == "1") FAIL() << *missing; \
        GTEST_SKIP() << *missing;                                                  \
      }                                                                            \
    }                                                                              \
  } while (false)
