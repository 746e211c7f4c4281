// portone/api_client.h: the PortOne V2 API calls paymentd makes.
//
// Every call may throw TransientError (retry later, no refund) or ApiError
// (PortOne's verdict, with its error type); see api_error.h. Retries happen
// inside (see api_transport.h). Thread-safe; holds no per-call state.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clock/clock.h"
#include "config/config.h"
#include "paymentd/payment.h"
#include "portone/api_transport.h"
#include "portone/observed_call.h"
#include "portone/payment_json.h"
#include "portone/payment_list_json.h"

namespace paymentd::portone {

struct CancelRequest {
  std::string payment_id;
  std::string reason;
  std::optional<std::int64_t> amount;  // nullopt: cancel everything left
  // PortOne cancels only if its cancellable balance equals this (else
  // CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN), so a stale view cannot over-refund.
  std::optional<std::int64_t> current_cancellable_amount;
  std::string idempotency_key;  // 16-256 chars; the same key on every retry
};

enum class CancellationStatus { kRequested = 1, kSucceeded, kFailed, kUnrecognized };

struct Cancellation {
  CancellationStatus status = CancellationStatus::kUnrecognized;
  std::string id;
  std::int64_t total_amount = 0;
  std::string reason;
  std::optional<Timestamp> cancelled_at;
};

/// What to charge a billing key (now, or at a scheduled time).
struct BillingKeyCharge {
  std::string billing_key;
  std::string order_name;
  std::optional<std::string> customer_id;
  std::int64_t amount = 0;
  std::string currency = "KRW";
  std::optional<std::string> custom_data;  // usually a JSON string
  std::vector<std::string> notice_urls;    // webhook URLs; empty: the store's
};

struct BillingKeyPaymentRequest {
  std::string payment_id;
  BillingKeyCharge charge;
  std::string idempotency_key;
};

struct BillingKeyPaymentSummary {
  std::string pg_tx_id;
  std::optional<Timestamp> paid_at;
};

struct PaymentScheduleRequest {
  std::string payment_id;  // the payment the schedule will create
  BillingKeyCharge charge;
  Timestamp time_to_pay;
  std::string idempotency_key;
};

struct RevokeSchedulesRequest {
  std::optional<std::string> billing_key;  // alone: every schedule of the key
  std::vector<std::string> schedule_ids;
  std::string idempotency_key;
};

struct PortOneClientOptions {
  ApiTransportOptions transport;
  std::string store_id;
  CallObserver on_call;  // may be empty
};

class PortOneClient {
 public:
  /// @throws std::invalid_argument (see ApiTransport).
  PortOneClient(PortOneClientOptions options, const Clock& clock);

  /// Options from the daemon's config; reads the API secret file.
  /// @throws SecretFileError.
  /// A reload's portone.connect_timeout_ms, read_timeout_ms and request_deadline_ms.
  void setTimeouts(const config::PortOneConfig& config);
  static PortOneClientOptions optionsFromConfig(const config::PortOneConfig& config);

  /// GET /payments/{paymentId}. ApiError PAYMENT_NOT_FOUND when PortOne has none.
  FetchedPayment getPayment(const std::string& payment_id) const;
  /// POST /payments/{paymentId}/cancel. PAYMENT_ALREADY_CANCELLED, PAYMENT_NOT_PAID, ...
  Cancellation cancelPayment(const CancelRequest& request) const;
  /// POST /payments/{paymentId}/billing-key. A decline is ApiError PG_PROVIDER.
  BillingKeyPaymentSummary payWithBillingKey(const BillingKeyPaymentRequest& request) const;
  /// POST /payments/{paymentId}/schedule; returns the schedule id.
  /// PAYMENT_SCHEDULE_ALREADY_EXISTS when one exists for the payment.
  std::string createPaymentSchedule(const PaymentScheduleRequest& request) const;
  /// DELETE /payment-schedules; returns the ids revoked.
  std::vector<std::string> revokePaymentSchedules(const RevokeSchedulesRequest& request) const;
  /// GET /billing-keys/{billingKey}. ApiError BILLING_KEY_NOT_FOUND when PortOne has none.
  BillingKeyInfo getBillingKey(const std::string& billing_key) const;

  /// GET /payments with the request as `requestBody`: one page of the store's payments.
  PaymentList listPayments(const PaymentListRequest& request) const;
  /// POST /payments/{paymentId}/resend-webhook: the payment's latest webhook again, to the
  /// URL it went to. MAX_WEBHOOK_RETRY_COUNT_REACHED once PortOne's resend limit is reached.
  void resendWebhook(const std::string& payment_id) const;

  /// The endpoint names CallObserver receives, one per method above.
  static const std::vector<std::string>& endpointNames();

 private:
  template <typename Call>
  auto observed(const std::string& endpoint, Call&& call) const;

  PortOneClientOptions options_;
  ApiTransport transport_;
};

}  // namespace paymentd::portone
