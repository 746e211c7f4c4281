// support/test_servers.h: where the real PostgreSQL and Redis of the test run are
// (scripts/test-servers.sh exports them). Without them a test skips, unless
// PAYMENTD_TEST_REQUIRE_SERVERS=1 (CI), where it fails.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace paymentd::testing {

/// The server's URL. The shared Redis (PAYMENTD_TEST_REDIS, database 0) is
/// given per test process as a database of its own (test-servers.sh starts it
/// with 10000): ctest runs tests in parallel, and two of them locking the same
/// payment id ("pay-1") in one key space would see ALREADY_PROCESSING.
inline std::optional<std::string> testServer(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return std::nullopt;
  std::string url(value);
  if (std::string_view(variable) == "PAYMENTD_TEST_REDIS" && url.size() > 2 &&
      url.compare(url.size() - 2, 2, "/0") == 0) {
    url.replace(url.size() - 1, 1, std::to_string(::getpid() % 9999 + 1));
  }
  return url;
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
