// notifiers/common/http_post.h: one JSON POST for the notifier plugins, and the
// Outcome its answer means: 2xx ok; 429, 5xx or no answer transient (retry
// later); any other 4xx rejected (the request can never succeed as it is).
// Compiled into each notifier plugin (they link Poco::Net/NetSSL themselves).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "paymentd/outcome.h"

namespace paymentd::notifiers {

struct HttpPost {
  std::string url;  // http:// (loopback tests) or https://
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{5000};
};

/// @param service names the far side in messages, e.g. "slack".
Outcome postJson(const HttpPost& request, const std::string& service);

}  // namespace paymentd::notifiers
