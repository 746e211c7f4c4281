// storage/readiness_probe.h: "is the database reachable", cheap enough for /readyz.
//
// Runs `SELECT 1` at most once per interval and answers from the last result
// in between; while one thread probes, the others get the last result at once.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "storage/database.h"

namespace paymentd::storage {

class ReadinessProbe {
 public:
  ReadinessProbe(Database& database, std::chrono::milliseconds interval)
      : database_(database), interval_(interval) {}

  /// nullopt when the last probe passed, else why not.
  std::optional<std::string> check();

 private:
  Database& database_;
  const std::chrono::milliseconds interval_;
  std::mutex probing_;
  std::mutex result_mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_probe_;
  std::optional<std::string> last_result_;
};

}  // namespace paymentd::storage
