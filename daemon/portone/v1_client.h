// portone/v1_client.h: the PortOne V1 (Iamport) API calls paymentd makes, for billing
// keys (`customer_uid`) registered before V2.
//
// Same transport as V2 (deadline, retries of reads, TLS rules) and the same typed errors
// (api_error.h): TransientError for no answer, a 5xx or an unreadable answer; ApiError
// for PortOne's verdicts (types in v1_json.h). Every call carries a cached token
// (v1_token.h); a 401 discards it and the call is made once more with a fresh one.
// Writes carry no Idempotency-Key (V1 has none), so they are never sent twice.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock/clock.h"
#include "config/config.h"
#include "core/payment_gateway.h"
#include "portone/api_transport.h"
#include "portone/observed_call.h"
#include "portone/v1_token.h"

namespace paymentd::portone {

struct V1ClientOptions {
  /// api_base and limits; `api_secret` is unused (V1 signs in with the key and secret).
  ApiTransportOptions transport;
  std::string imp_key;     // never logged
  std::string imp_secret;  // never logged
  std::chrono::seconds token_refresh_margin{60};
  CallObserver on_call;  // may be empty; endpoints: V1Client::endpointNames()
};

struct V1CancelRequest {
  std::string merchant_uid;  // the payment, by the id paymentd gave it
  std::string reason;
  std::optional<std::int64_t> amount;  // nullopt: everything left
  /// PortOne cancels only if its cancellable balance equals this, so a repeated or
  /// stale cancel is refused instead of refunding twice.
  std::int64_t checksum = 0;
};

/// One renewal to charge at `schedule_at` (POST /subscribe/payments/schedule).
struct V1Schedule {
  std::string merchant_uid;  // deterministic: the payment the schedule will create
  Timestamp schedule_at;
  std::int64_t amount = 0;
  std::string currency = "KRW";
  std::string name;
  std::optional<std::string> custom_data;
  std::optional<std::string> notice_url;
};

struct V1ScheduleRequest {
  std::string customer_uid;  // the billing key
  std::vector<V1Schedule> schedules;
};

struct V1UnscheduleRequest {
  std::string customer_uid;
  std::vector<std::string> merchant_uids;  // empty: every schedule of the key
};

class V1Client {
 public:
  /// @throws std::invalid_argument (see ApiTransport).
  V1Client(V1ClientOptions options, const Clock& clock);

  /// Options from `portone.v1`, with `portone`'s timeouts; reads the key and secret files.
  /// @throws SecretFileError.
  static V1ClientOptions optionsFromConfig(const config::PortOneV1Config& v1,
                                           const config::PortOneConfig& portone);

  /// `portone`'s new call limits (a reload); calls under way keep the ones they started with.
  void setTimeouts(const config::PortOneConfig& portone);

  /// The endpoint names CallObserver receives, one per method below.
  static const std::vector<std::string>& endpointNames();

  /// GET /payments/{imp_uid}. ApiError PAYMENT_NOT_FOUND when PortOne has none.
  core::FetchedPayment getPayment(const std::string& imp_uid) const;
  /// GET /payments/find/{merchant_uid}: the payment by the id paymentd gave it (PortOne's
  /// latest with that merchant_uid). ApiError PAYMENT_NOT_FOUND when PortOne has none.
  core::FetchedPayment findPayment(const std::string& merchant_uid) const;
  /// POST /payments/cancel; the payment as it is after the cancel.
  core::FetchedPayment cancelPayment(const V1CancelRequest& request) const;
  /// POST /subscribe/payments/schedule; the merchant_uids PortOne scheduled.
  std::vector<std::string> schedule(const V1ScheduleRequest& request) const;
  /// POST /subscribe/payments/unschedule; the merchant_uids PortOne unscheduled.
  std::vector<std::string> unschedule(const V1UnscheduleRequest& request) const;

 private:
  /// The envelope's `response` of a call made with a token, retried once after a 401.
  Poco::Dynamic::Var authorized(ApiRequest request) const;
  core::FetchedPayment readPayment(const std::string& path) const;

  V1ClientOptions options_;
  ApiTransport transport_;
  V1TokenSource tokens_;
};

}  // namespace paymentd::portone
