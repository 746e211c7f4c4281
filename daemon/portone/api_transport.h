// portone/api_transport.h: one PortOne API call over HTTP(S), with retries.
//
// TLS verifies the server's certificate and host name; plain HTTP is allowed
// only for a loopback host (the sandbox). Reads (GET) are retried with
// exponential backoff on transient failures until the request deadline; a
// write is retried only when it carries an Idempotency-Key, and always with
// the same key, so PortOne replays instead of acting twice.
// Safe to use from many threads: each attempt has a connection of its own, a new one
// or one an earlier call left open (portone/session_pool.h).
#pragma once

#include <Poco/Net/Context.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clock/clock.h"
#include "config/live.h"
#include "portone/api_error.h"
#include "portone/session_pool.h"

namespace paymentd::portone {

/// Reads a non-2xx answer (status, body) as PortOne's verdict. Each API has its own
/// error body: V2 {"type", "message", ...}, V1 {"code", "message", "response"}.
using ErrorBodyReader = std::function<ApiError(int status, const std::string& body)>;

struct ApiTransportOptions {
  std::string api_base;    // "https://api.portone.io" or "http://127.0.0.1:PORT"
  std::string api_secret;  // sent as "Authorization: PortOne <secret>", never logged
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds request_deadline{15000};  // all attempts of one call together
  std::chrono::milliseconds first_backoff{200};
  std::chrono::milliseconds max_backoff{2000};
  std::size_t idle_connections = 8;   // kept open for later calls; 0: a new one per call
  ErrorBodyReader error_body_reader;  // empty: V2's error body
  std::string peer = "PortOne";       // who answers, as errors name it
};

/// The limits a reload may change; one call takes them once.
struct ApiTimeouts {
  std::chrono::milliseconds connect_timeout;
  std::chrono::milliseconds read_timeout;
  std::chrono::milliseconds request_deadline;
};

struct ApiRequest {
  std::string method;           // GET, POST, DELETE
  std::string path_and_query;   // "/payments/abc?storeId=..." (already percent-encoded)
  std::string body;             // JSON, empty for none
  std::string idempotency_key;  // empty: none (then a write is never retried)
  /// The Authorization header's value; nullopt: "PortOne <api_secret>" (V2); "": none
  /// (the application's events, signed instead). Never logged.
  std::optional<std::string> authorization = std::nullopt;
  /// More headers, e.g. the Standard Webhooks signature of an event.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

class ApiTransport {
 public:
  /// @throws std::invalid_argument for a malformed api_base, an unsupported
  /// scheme, or http:// to a host that is not loopback.
  ApiTransport(ApiTransportOptions options, const Clock& clock);

  /// The 2xx body. @throws TransientError or ApiError (see api_error.h), or
  /// std::invalid_argument for an idempotency key outside 16-256 characters.
  std::string call(const ApiRequest& request) const;

  /// A reload's timeouts: calls that start from now on use them.
  void setTimeouts(ApiTimeouts timeouts);

 private:
  std::string attempt(const ApiRequest& request, std::chrono::milliseconds remaining,
                      bool retryable, const ApiTimeouts& timeouts) const;
  std::string exchange(SessionPool::Lease& lease, const ApiRequest& request,
                       std::chrono::milliseconds remaining, const ApiTimeouts& timeouts) const;

  ApiTransportOptions options_;  // its timeouts only until the first setTimeouts()
  const Clock& clock_;
  config::Live<ApiTimeouts> timeouts_;
  std::string scheme_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::string base_path_;
  Poco::Net::Context::Ptr tls_;  // https only
  std::unique_ptr<SessionPool> pool_;
};

}  // namespace paymentd::portone
