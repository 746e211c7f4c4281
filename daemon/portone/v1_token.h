// portone/v1_token.h: PortOne V1's access token (POST /users/getToken), cached.
//
// A token lives 30 minutes at PortOne. It is kept until `refresh_margin` before it
// expires, measured on our clock from the lifetime PortOne states (`expired_at` - `now`,
// both PortOne's), so a skewed clock cannot keep an expired token. Thread-safe: callers
// at once share one fetch. The key, secret and token are never logged.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "clock/clock.h"
#include "portone/api_transport.h"

namespace paymentd::portone {

class V1TokenSource {
 public:
  /// `transport` and `clock` must outlive this.
  V1TokenSource(const ApiTransport& transport, std::string imp_key, std::string imp_secret,
                const Clock& clock, std::chrono::seconds refresh_margin);

  /// A token valid now, fetched when none is cached or it is about to expire.
  /// @throws TransientError or ApiError (a wrong key or secret is ApiError UNAUTHORIZED).
  std::string token() const;
  /// Forgets `rejected` (PortOne answered 401 to it); a newer token is kept.
  void discard(const std::string& rejected) const;

 private:
  const ApiTransport& transport_;
  std::string imp_key_;
  std::string imp_secret_;
  const Clock& clock_;
  std::chrono::seconds refresh_margin_;
  mutable std::mutex mutex_;
  mutable std::string token_;  // empty: none
  mutable Clock::TimePoint valid_until_;
};

}  // namespace paymentd::portone
