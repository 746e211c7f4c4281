// http/health_routes.h: GET /healthz (the process answers) and GET /readyz
// (it can do its work: every readiness check passes and it is not draining).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/router.h"

namespace paymentd::http {

class Readiness {
 public:
  /// Returns nullopt when ready, or the reason it is not. Must be cheap: load
  /// balancers call it often.
  using Check = std::function<std::optional<std::string>()>;

  void add(std::string name, Check check);
  /// From now on /readyz fails, so the load balancer stops sending traffic.
  void setDraining() { draining_.store(true); }

  /// Failing checks as "name: reason"; empty when ready.
  std::vector<std::string> failures() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, Check>> checks_;
  std::atomic<bool> draining_{false};
};

void addHealthRoutes(Router& router, const Readiness& readiness);

}  // namespace paymentd::http
