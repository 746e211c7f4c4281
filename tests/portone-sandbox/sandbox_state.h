// portone-sandbox/sandbox_state.h: everything the sandbox remembers, in memory.
//
// One mutex guards it all: the sandbox serves tests, not traffic, and a single
// lock keeps every answer consistent with the request log.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "v1_state.h"

namespace paymentd::sandbox {

using TimePoint = std::chrono::system_clock::time_point;

struct SandboxCancellation {
  std::string id;
  std::int64_t total_amount = 0;
  std::string reason;
  TimePoint requested_at;
  TimePoint cancelled_at;
  std::string trigger = "API";  // API, CONSOLE (PortOne's console), ...
};

struct SandboxPayment {
  std::string id;
  std::string transaction_id;
  std::string store_id;
  std::string status = "READY";  // PortOne's Payment.status
  std::string method_type;       // "PaymentMethodCard", ...; empty: no method yet
  std::string card_brand = "VISA";
  std::string card_type = "CREDIT";
  std::int64_t total = 0;
  std::int64_t cancelled = 0;
  std::string currency = "KRW";
  std::string order_name = "sandbox order";
  std::optional<std::string> billing_key;
  std::optional<std::string> schedule_id;
  std::optional<std::string> customer_id;
  std::optional<std::string> customer_phone;  // Customer.phoneNumber, as the client sent it
  std::optional<std::string> custom_data;
  std::vector<std::string> notice_urls;
  std::string channel_type = "TEST";
  TimePoint requested_at;
  TimePoint updated_at;
  TimePoint status_changed_at;
  std::optional<TimePoint> paid_at;
  std::optional<TimePoint> failed_at;
  std::optional<TimePoint> cancelled_at;
  std::string failure_reason;
  std::string pg_code;
  std::string pg_message;
  std::string pg_tx_id;
  std::vector<SandboxCancellation> cancellations;
  int webhook_resends = 0;  // POST /payments/{id}/resend-webhook calls PortOne took
};

struct SandboxSchedule {
  std::string id;
  std::string payment_id;
  std::string store_id;
  std::string billing_key;
  std::string order_name;
  std::optional<std::string> customer_id;
  std::optional<std::string> customer_phone;
  std::optional<std::string> custom_data;
  std::int64_t total = 0;
  std::string currency = "KRW";
  std::vector<std::string> notice_urls;
  TimePoint time_to_pay;
  TimePoint created_at;
  std::string status = "SCHEDULED";  // SCHEDULED, SUCCEEDED, FAILED, REVOKED
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> completed_at;
  std::optional<TimePoint> revoked_at;
};

/// How a card answers charges: the next outcomes in order, then `then` forever.
struct CardScript {
  std::deque<bool> next_succeeds;
  bool then_succeeds = true;

  bool charge() {
    if (next_succeeds.empty()) return then_succeeds;
    const bool ok = next_succeeds.front();
    next_succeeds.pop_front();
    return ok;
  }
};

struct SandboxBillingKey {
  std::string key;
  std::optional<std::string> customer_id;
  bool deleted = false;
  CardScript script;
  std::string decline_pg_code = "CARD_DECLINED";  // failure.pgCode of a declined charge
  std::string decline_message = "카드사에서 거절되었습니다";
  std::string card_number = "4330123412341234";  // shown masked only, as PortOne does
  TimePoint issued_at;
  std::optional<TimePoint> deleted_at;
};

enum class FaultKind {
  kStatus = 1,  // answer `status` with a PortOne-shaped error body, do nothing
  kDelay,       // wait, then answer normally
  kDrop,        // close the connection without answering, do nothing
  kDropAfter,   // do the work, then close without answering (a lost answer)
};

struct Fault {
  int id = 0;
  std::string method;       // empty: any
  std::string path_prefix;  // matches request paths starting with it
  FaultKind kind = FaultKind::kStatus;
  int status = 500;
  std::string type = "INTERNAL_SERVER_ERROR";
  std::chrono::milliseconds delay{0};
  int remaining = 1;  // -1: forever
};

struct LoggedRequest {
  std::int64_t seq = 0;
  std::string method;
  std::string path;
  std::string query;
  std::string idempotency_key;  // unquoted; empty when absent
  std::string body;
  std::string client;  // the connection's remote address: one per connection
  bool authorized = false;
  int status = 0;     // 0: no answer sent (dropped)
  std::string fault;  // which fault was applied, if any
};

struct IdempotentAnswer {
  std::string fingerprint;  // method + path + body: a key is for one request only
  bool in_flight = true;
  int status = 0;
  std::string body;
};

/// What the webhook sender is told to do with the next webhooks.
struct WebhookMode {
  int duplicates = 0;  // extra copies of each webhook (same webhook-id)
  int drop_next = 0;   // this many next webhooks are never sent
  bool hold = false;   // keep webhooks until released (to reorder them)
};

struct SandboxState {
  std::mutex mutex;
  std::map<std::string, SandboxPayment> payments;
  std::map<std::string, SandboxSchedule> schedules;
  std::map<std::string, SandboxBillingKey> billing_keys;
  std::vector<Fault> faults;
  std::vector<LoggedRequest> requests;
  std::map<std::string, IdempotentAnswer> idempotency;
  std::chrono::seconds clock_offset{0};  // the sandbox clock = real time + offset
  std::int64_t next_id = 1;
  /// Resends PortOne takes per payment before MAX_WEBHOOK_RETRY_COUNT_REACHED; -1: no limit.
  int resend_limit = -1;
  V1State v1;  // PortOne's V1 API (v1_routes.h)

  TimePoint now() const { return std::chrono::system_clock::now() + clock_offset; }
  std::string newId(const std::string& prefix) { return prefix + "-" + std::to_string(next_id++); }
};

}  // namespace paymentd::sandbox
