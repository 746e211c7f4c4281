#include "http/router.h"

#include <chrono>

namespace paymentd::http {

void Router::add(std::string method, std::string path, Handler handler) {
  const bool prefix = !path.empty() && path.back() == '*';
  if (prefix) path.pop_back();
  routes_.push_back(Route{std::move(method), std::move(path), prefix, std::move(handler)});
}

HttpResponse Router::dispatch(const HttpRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  std::string pattern = "unmatched";
  HttpResponse response = route(request, pattern);
  if (observer_) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    observer_(pattern, response.status, took.count());
  }
  return response;
}

HttpResponse Router::route(const HttpRequest& request, std::string& pattern) const {
  bool path_known = false;
  for (const auto& route : routes_) {
    const bool matches = route.prefix ? request.path.rfind(route.path, 0) == 0 &&
                                            request.path.size() > route.path.size()
                                      : request.path == route.path;
    if (!matches) continue;
    pattern = route.path + (route.prefix ? "*" : "");
    if (route.method == request.method) return route.handler(request);
    path_known = true;
  }
  if (path_known) {
    return errorResponse(405, "METHOD_NOT_ALLOWED", request.method + " is not allowed here");
  }
  return errorResponse(404, "NOT_FOUND", "no such endpoint");
}

}  // namespace paymentd::http
