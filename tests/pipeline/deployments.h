// pipeline/deployments.h: the two deployments the pipeline suites run on: one
// node (SQLite, the in-process lock) and several (PostgreSQL, Redis).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "storage/test_database.h"
#include "support/test_servers.h"

namespace paymentd::testing {

struct SqliteLocal : SqliteBackend {
  static std::optional<std::string> lockUrl() { return "local"; }
};
struct PostgresRedis : PostgresBackend {
  static std::optional<std::string> lockUrl() { return testServer("PAYMENTD_TEST_REDIS"); }
};

using Deployments = ::testing::Types<SqliteLocal, PostgresRedis>;

}  // namespace paymentd::testing
