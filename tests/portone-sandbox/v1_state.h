// portone-sandbox/v1_state.h: what the sandbox remembers of PortOne's V1 (Iamport) API.
// Guarded by SandboxState's mutex, like the rest.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace paymentd::sandbox {

struct V1Cancellation {
  std::int64_t amount = 0;
  std::string reason;
  std::chrono::system_clock::time_point cancelled_at;
};

struct V1Payment {
  std::string imp_uid;
  std::string merchant_uid;
  std::string status = "paid";  // ready, paid, cancelled, failed
  std::string pay_method = "card";
  std::int64_t amount = 0;
  /// Shown instead of `amount` when set, to serve what a client must refuse (1000.5, 1e300).
  std::optional<double> odd_amount;
  std::int64_t cancel_amount = 0;
  std::string currency = "KRW";
  std::string name = "sandbox order";
  std::optional<std::string> customer_uid;
  std::string customer_uid_usage;  // issue, payment, payment.scheduled; empty: none
  std::optional<std::string> buyer_tel;
  std::string fail_reason;
  std::int64_t paid_at = 0;  // unix seconds, 0: not
  std::int64_t failed_at = 0;
  std::int64_t cancelled_at = 0;
  std::vector<V1Cancellation> cancel_history;
};

/// One entry of POST /subscribe/payments/schedule, with the JSON it arrived as.
struct V1Schedule {
  std::string customer_uid;
  std::string merchant_uid;
  std::int64_t schedule_at = 0;
  std::int64_t amount = 0;
  std::string schedule_status = "scheduled";  // scheduled, revoked, executed (paid), failed
  std::string request;                        // the schedule's JSON as the client sent it
  std::int64_t revoked_at = 0;
  std::string imp_uid;  // the payment it made, once run (v1_schedule_runner.h)
};

struct V1State {
  std::map<std::string, V1Payment> payments;                            // by imp_uid
  std::map<std::string, V1Schedule> schedules;                          // by merchant_uid
  std::map<std::string, std::chrono::system_clock::time_point> tokens;  // token -> expiry
  std::int64_t tokens_issued = 0;
};

}  // namespace paymentd::sandbox
