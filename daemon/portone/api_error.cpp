#include "portone/api_error.h"

namespace paymentd::portone {

TransientError::TransientError(Kind kind, int http_status, const std::string& message)
    : ApiFailure(message), kind_(kind), http_status_(http_status) {}

ApiError::ApiError(int http_status, std::string type, std::string message, std::string pg_code,
                   std::string pg_message)
    : ApiFailure("PortOne answered " + std::to_string(http_status) + " " + type +
                 (message.empty() ? "" : ": " + message)),
      http_status_(http_status),
      type_(std::move(type)),
      message_(std::move(message)),
      pg_code_(std::move(pg_code)),
      pg_message_(std::move(pg_message)) {}

}  // namespace paymentd::portone
