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

const std::vector<std::string>& documentedErrorTypes() {
  static const std::vector<std::string> types = {
      "INVALID_REQUEST",
      "UNAUTHORIZED",
      "FORBIDDEN",
      "PAYMENT_NOT_FOUND",
      "PAYMENT_NOT_PAID",
      "PAYMENT_ALREADY_CANCELLED",
      "CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN",
      "CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT",
      "SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT",
      "CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT",
      "CANCEL_TAX_AMOUNT_EXCEEDS_CANCELLABLE_TAX_AMOUNT",
      "MAX_CANCEL_COUNT_REACHED",
      "NEGATIVE_PROMOTION_ADJUSTED_CANCEL_AMOUNT",
      "PROMOTION_DISCOUNT_RETAIN_OPTION_SHOULD_NOT_BE_CHANGED",
      "PG_PROVIDER",
      "ALREADY_PAID",
      "ALREADY_PAID_OR_WAITING",
      "BILLING_KEY_NOT_FOUND",
      "BILLING_KEY_ALREADY_DELETED",
      "SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT",
      "PAYMENT_SCHEDULE_ALREADY_EXISTS",
      "PAYMENT_SCHEDULE_NOT_FOUND",
      "PAYMENT_SCHEDULE_ALREADY_REVOKED",
      "PAYMENT_SCHEDULE_ALREADY_PROCESSED",
      "MAX_WEBHOOK_RETRY_COUNT_REACHED",
      "WEBHOOK_NOT_FOUND",
  };
  return types;
}

}  // namespace paymentd::portone
