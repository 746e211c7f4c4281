#include "portone/webhook_verifier.h"

#include <openssl/crypto.h>

#include <charconv>
#include <stdexcept>

#include "portone/secret_file.h"
#include "portone/webhook_signature.h"

namespace paymentd::portone {
namespace {

std::optional<std::string> nonEmptyHeader(const WebhookHeaders::SingleHeader& single_header,
                                          const char* name) {
  auto value = single_header(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parseUnixSeconds(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

bool constantTimeEqual(const std::string& a, const std::string& b) {
  // The length of an HMAC is public; only the content must not leak through timing.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

WebhookHeaders WebhookHeaders::from(const SingleHeader& single_header) {
  return WebhookHeaders{nonEmptyHeader(single_header, "webhook-id"),
                        nonEmptyHeader(single_header, "webhook-timestamp"),
                        nonEmptyHeader(single_header, "webhook-signature")};
}

const char* verdictName(WebhookVerdict verdict) {
  switch (verdict) {
    case WebhookVerdict::kValid:
      return "VALID";
    case WebhookVerdict::kMissingRequiredHeaders:
      return "MISSING_REQUIRED_HEADERS";
    case WebhookVerdict::kInvalidTimestamp:
      return "INVALID_TIMESTAMP";
    case WebhookVerdict::kTimestampTooOld:
      return "TIMESTAMP_TOO_OLD";
    case WebhookVerdict::kTimestampTooNew:
      return "TIMESTAMP_TOO_NEW";
    case WebhookVerdict::kNoMatchingSignature:
      return "NO_MATCHING_SIGNATURE";
  }
  return "UNKNOWN";
}

WebhookVerifier::WebhookVerifier(std::vector<std::string> keys, const Clock& clock)
    : keys_(std::move(keys)), clock_(clock) {
  if (keys_.empty()) throw std::invalid_argument("a webhook verifier needs at least one secret");
  for (const auto& key : keys_) {
    if (key.empty()) throw std::invalid_argument("a webhook secret must not be empty");
  }
}

WebhookVerifier WebhookVerifier::fromSecrets(const std::vector<std::string>& secrets,
                                             const Clock& clock) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    auto key = decodeWebhookSecret(secrets[i]);
    if (!key) {
      throw std::invalid_argument("webhook secret #" + std::to_string(i + 1) +
                                  " is not whsec_ followed by Base64");
    }
    keys.push_back(std::move(*key));
  }
  return WebhookVerifier(std::move(keys), clock);
}

WebhookVerifier WebhookVerifier::fromSecretFiles(const std::vector<std::string>& files,
                                                 const Clock& clock) {
  std::vector<std::string> keys;
  for (const auto& file : files) {
    auto key = decodeWebhookSecret(readSecretFile(file));
    if (!key) {
      throw std::invalid_argument("webhook secret in " + file +
                                  " is not whsec_ followed by Base64");
    }
    keys.push_back(std::move(*key));
  }
  return WebhookVerifier(std::move(keys), clock);
}

WebhookVerdict WebhookVerifier::verify(const WebhookHeaders& headers, std::string_view body) const {
  if (!headers.id || !headers.timestamp || !headers.signature) {
    return WebhookVerdict::kMissingRequiredHeaders;
  }
  const auto timestamp = parseUnixSeconds(*headers.timestamp);
  if (!timestamp) return WebhookVerdict::kInvalidTimestamp;
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  if (now - *timestamp > kTolerance.count()) return WebhookVerdict::kTimestampTooOld;
  if (*timestamp - now > kTolerance.count()) return WebhookVerdict::kTimestampTooNew;

  std::vector<std::string> expected;
  expected.reserve(keys_.size());
  for (const auto& key : keys_) {
    expected.push_back(webhookSignature(key, *headers.id, *headers.timestamp, body));
  }
  const std::string_view list = *headers.signature;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t space = list.find(' ', start);
    const std::string_view entry =
        list.substr(start, space == std::string_view::npos ? list.npos : space - start);
    start = space == std::string_view::npos ? list.size() + 1 : space + 1;
    // "<version>,<signature>[,<ignored>]"; only v1 (symmetric) entries count.
    const std::size_t comma = entry.find(',');
    if (comma == std::string_view::npos || entry.substr(0, comma) != "v1") continue;
    std::string_view encoded = entry.substr(comma + 1);
    encoded = encoded.substr(0, encoded.find(','));
    const auto decoded = decodeBase64(encoded);
    if (!decoded) continue;
    for (const auto& candidate : expected) {
      if (constantTimeEqual(*decoded, candidate)) return WebhookVerdict::kValid;
    }
  }
  return WebhookVerdict::kNoMatchingSignature;
}

}  // namespace paymentd::portone
