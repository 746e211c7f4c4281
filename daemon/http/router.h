// http/router.h: maps method + path to a handler.
//
// A route's path is exact ("/healthz") or a prefix ending in '*'
// ("/api/v1/payment/check/*"). A known path with another method is 405.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/http_message.h"

namespace paymentd::http {

using Handler = std::function<HttpResponse(const HttpRequest&)>;
/// Told of every answer: the route's pattern ("unmatched" when none), the
/// status and the seconds the handler took.
using RouteObserver = std::function<void(const std::string& route, int status, double seconds)>;

class Router {
 public:
  void add(std::string method, std::string path, Handler handler);
  void setObserver(RouteObserver observer) { observer_ = std::move(observer); }
  HttpResponse dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    Handler handler;
  };
  HttpResponse route(const HttpRequest& request, std::string& pattern) const;

  std::vector<Route> routes_;
  RouteObserver observer_;
};

}  // namespace paymentd::http
