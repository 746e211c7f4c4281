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

class Router {
 public:
  void add(std::string method, std::string path, Handler handler);
  HttpResponse dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace paymentd::http
