// support/test_servers.h: where the real PostgreSQL and Redis of the test run are
// (scripts/test-servers.sh exports them). Without them a test skips, unless
// PAYMENTD_TEST_REQUIRE_SERVERS=1 (CI), where it fails.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace paymentd::testing {

inline std::optional<std::string> testServer(const char* variable) {
  const char* value = std::getenv(variable);
  if (value != nullptr && *value != '\0') return std::string(value);
  return std::nullopt;
}

inline bool serversRequired() {
  const char* value = std::getenv("PAYMENTD_TEST_REQUIRE_SERVERS");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace paymentd::testing

/// In a test body: sets `var` to the variable's value, or skips/fails the test.
#define PAYMENTD_REQUIRE_SERVER(var, variable)                                \
  std::string var;                                                            \
  if (auto found_ = ::paymentd::testing::testServer(variable)) {              \
    var = *found_;                                                            \
  } else if (::paymentd::testing::serversRequired()) {                        \
    FAIL() << variable << " is not set, but PAYMENTD_TEST_REQUIRE_SERVERS=1"; \
  } else {                                                                    \
    GTEST_SKIP() << variable << " is not set (run scripts/run-tests.sh)";     \
  }
