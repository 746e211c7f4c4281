#include "storage/readiness_probe.h"

namespace paymentd::storage {

std::optional<std::string> ReadinessProbe::check() {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(result_mutex_);
    if (last_probe_ && now - *last_probe_ < interval_) return last_result_;
  }
  std::unique_lock probing(probing_, std::try_to_lock);
  if (!probing.owns_lock()) {
    std::lock_guard lock(result_mutex_);
    return last_result_;
  }
  std::optional<std::string> result;
  try {
    database_.ping();
  } catch (const Error& e) {
    result = e.what();
  }
  std::lock_guard lock(result_mutex_);
  last_probe_ = std::chrono::steady_clock::now();
  last_result_ = result;
  return result;
}

}  // namespace paymentd::storage
