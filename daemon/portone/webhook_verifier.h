// portone/webhook_verifier.h: checks that a webhook really comes from PortOne
// (Standard Webhooks: HMAC-SHA256 over "id.timestamp.body", ±300 s).
//
// Runs on the raw body before anything parses it. Immutable after
// construction, so one instance serves all request threads.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clock/clock.h"

namespace paymentd::portone {

/// The three signature headers. A header that is absent, empty or repeated is nullopt.
struct WebhookHeaders {
  std::optional<std::string> id;         // webhook-id
  std::optional<std::string> timestamp;  // webhook-timestamp, Unix seconds
  std::optional<std::string> signature;  // webhook-signature, "v1,<base64> v1,<base64> ..."

  /// The one value of a lowercase header, nullopt when absent or repeated. Supplied
  /// by the caller's transport, so portone needs no HTTP type.
  using SingleHeader = std::function<std::optional<std::string>(const std::string& lower_name)>;
  static WebhookHeaders from(const SingleHeader& single_header);
};

/// Why a webhook was accepted or not; the names follow PortOne's SDK reasons, except
/// that the SDK calls an unparsable timestamp INVALID_SIGNATURE.
enum class WebhookVerdict {
  kValid = 1,
  kMissingRequiredHeaders,
  kInvalidTimestamp,  // not a decimal integer
  kTimestampTooOld,
  kTimestampTooNew,
  kNoMatchingSignature,
};

/// "VALID", "MISSING_REQUIRED_HEADERS", ... for logs.
const char* verdictName(WebhookVerdict verdict);

class WebhookVerifier {
 public:
  static constexpr std::chrono::seconds kTolerance{300};

  /// `keys` are decoded HMAC keys (see decodeWebhookSecret); a signature made
  /// with any of them is accepted, so secrets can be rotated.
  /// @throws std::invalid_argument when `keys` is empty or holds an empty key.
  WebhookVerifier(std::vector<std::string> keys, const Clock& clock);

  /// From secrets as PortOne shows them ("whsec_..."). @throws std::invalid_argument
  /// naming the position of a malformed secret (never its value).
  static WebhookVerifier fromSecrets(const std::vector<std::string>& secrets, const Clock& clock);
  /// From secret files, one secret each. @throws SecretFileError or std::invalid_argument.
  static WebhookVerifier fromSecretFiles(const std::vector<std::string>& files, const Clock& clock);

  /// Checks headers and timestamp first, then compares the HMAC of `body` with
  /// every `v1` entry in constant time.
  WebhookVerdict verify(const WebhookHeaders& headers, std::string_view body) const;

  /// Whether `other` accepts exactly the same secrets (a reload's rotation check).
  bool sameSecrets(const WebhookVerifier& other) const { return keys_ == other.keys_; }

 private:
  std::vector<std::string> keys_;
  const Clock& clock_;
};

}  // namespace paymentd::portone
