#include "http/health_routes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace paymentd::http {

void Readiness::add(std::string name, Check check) {
  std::lock_guard<std::mutex> lock(mutex_);
  checks_.emplace_back(std::move(name), std::move(check));
}

std::vector<std::string> Readiness::failures() const {
  std::vector<std::string> out;
  if (draining_.load()) out.push_back("shutdown: draining");
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, check] : checks_) {
    if (auto reason = check()) out.push_back(name + ": " + *reason);
  }
  return out;
}

void addHealthRoutes(Router& router, const Readiness& readiness) {
  router.add("GET", "/healthz",
             [](const HttpRequest&) { return jsonResponse(200, R"({"status":"ok"})"); });
  router.add("GET", "/readyz", [&readiness](const HttpRequest&) {
    const auto failures = readiness.failures();
    Poco::JSON::Object root;
    root.set("status", failures.empty() ? "ready" : "not_ready");
    Poco::JSON::Array reasons;
    for (const auto& failure : failures) reasons.add(failure);
    root.set("failures", reasons);
    std::ostringstream out;
    root.stringify(out);
    return jsonResponse(failures.empty() ? 200 : 503, out.str());
  });
}

}  // namespace paymentd::http
