// portone/api_error.h: how a call to PortOne's API fails.
//
// TransientError: no answer, a timeout, a 5xx, or an answer we cannot read;
// the same call may succeed later (the pipeline answers 503, no refund).
// ApiError: PortOne answered with an error body; `type()` is PortOne's error
// type (PAYMENT_NOT_FOUND, PAYMENT_ALREADY_CANCELLED, ...), deterministic.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace paymentd::portone {

class ApiFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TransientError : public ApiFailure {
 public:
  enum class Kind {
    kTransport = 1,  // connect refused, connection dropped, TLS failure
    kTimeout,        // connect or read timeout, or the request deadline passed
    kServerError,    // a 5xx other than PG_PROVIDER
    kBadResponse,    // a 2xx we cannot parse
  };
  TransientError(Kind kind, int http_status, const std::string& message);
  Kind kind() const { return kind_; }
  int httpStatus() const { return http_status_; }  // 0 when there was no answer

 private:
  Kind kind_;
  int http_status_;
};

class ApiError : public ApiFailure {
 public:
  ApiError(int http_status, std::string type, std::string message, std::string pg_code = "",
           std::string pg_message = "");
  int httpStatus() const { return http_status_; }
  const std::string& type() const { return type_; }  // "" if the body had none
  const std::string& apiMessage() const { return message_; }
  const std::string& pgCode() const { return pg_code_; }  // PG_PROVIDER only
  const std::string& pgMessage() const { return pg_message_; }

 private:
  int http_status_;
  std::string type_;
  std::string message_;
  std::string pg_code_;
  std::string pg_message_;
};

/// The error types PortOne documents for the calls paymentd makes (getPayment, cancelPayment,
/// resendWebhook, ...; V2 OpenAPI 1.16),
/// the closed set the metrics count by name.
const std::vector<std::string>& documentedErrorTypes();

}  // namespace paymentd::portone
