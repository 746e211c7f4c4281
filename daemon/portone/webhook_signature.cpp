#include "portone/webhook_signature.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sstream>

namespace paymentd::portone {

std::optional<std::string> decodeWebhookSecret(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.substr(0, kPrefix.size()) == kPrefix) secret.remove_prefix(kPrefix.size());
  auto key = decodeBase64(secret);
  if (!key || key->empty()) return std::nullopt;
  return key;
}

std::string webhookSignature(std::string_view key, std::string_view id, std::string_view timestamp,
                             std::string_view body) {
  std::string content;
  content.reserve(id.size() + timestamp.size() + body.size() + 2);
  content.append(id).append(".").append(timestamp).append(".").append(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  const unsigned char* result = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                                     reinterpret_cast<const unsigned char*>(content.data()),
                                     content.size(), digest, &digest_length);
  if (result == nullptr) throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(digest), digest_length);
}

std::string webhookSignatureEntry(std::string_view key, std::string_view id,
                                  std::string_view timestamp, std::string_view body) {
  return "v1," + encodeBase64(webhookSignature(key, id, timestamp, body));
}

std::string encodeBase64(std::string_view bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  encoder.close();
  return out.str();
}

std::optional<std::string> decodeBase64(std::string_view text) {
  // Poco's decoder skips characters such as whitespace silently; a signature
  // or secret with them is malformed, so the alphabet and length are checked first.
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=') {
      ++padding;
    } else if (!alphabet || padding > 0) {
      return std::nullopt;  // a data character after padding, or outside the alphabet
    }
  }
  if (padding > 2) return std::nullopt;
  try {
    std::istringstream in{std::string(text)};
    Poco::Base64Decoder decoder(in);
    std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    return out;
  } catch (const Poco::DataFormatException&) {
    return std::nullopt;
  }
}

}  // namespace paymentd::portone
