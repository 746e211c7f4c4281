// metrics/label_values.h: the values one Prometheus label may take.
//
// Every label value is a new time series kept for the life of the process, so no label
// may take its values from input: a signed webhook's type, PortOne's error body or a
// plugin's code would otherwise grow /metrics without bound. Each label keeps to a closed
// set; anything outside it is counted as "other".
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace paymentd::metrics {

inline constexpr const char* kOtherLabel = "other";

class LabelValues {
 public:
  /// Exactly these values.
  static LabelValues closed(std::vector<std::string> values);
  /// The first `capacity` distinct values that `shape` accepts, for what code and config
  /// name (routes, plugins, failure codes) rather than clients; the set then stays closed.
  static LabelValues firstSeen(std::size_t capacity,
                               std::function<bool(const std::string&)> shape = {});

  /// `value` when it is in the set (or joins it now), else "other".
  std::string operator()(const std::string& value) const;

 private:
  LabelValues(std::set<std::string> values, std::size_t capacity,
              std::function<bool(const std::string&)> shape);

  mutable std::mutex mutex_;
  mutable std::set<std::string> values_;
  std::size_t capacity_;  // 0: closed from the start
  std::function<bool(const std::string&)> shape_;
};

}  // namespace paymentd::metrics
