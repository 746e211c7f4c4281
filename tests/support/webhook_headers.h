// support/webhook_headers.h: the signature headers of an HTTP request, as the
// pipeline hands them to portone's verifier (which knows no HTTP type).
#pragma once

#include <string>

#include "http/http_message.h"
#include "portone/webhook_verifier.h"

namespace paymentd::testing {

inline portone::WebhookHeaders webhookHeadersOf(const http::HttpRequest& request) {
  return portone::WebhookHeaders::from(
      [&](const std::string& name) { return request.singleHeader(name); });
}

}  // namespace paymentd::testing
