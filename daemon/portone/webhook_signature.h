// portone/webhook_signature.h: the Standard Webhooks signature as PortOne computes it.
//
// Shared by the verifier (daemon) and the signer (the sandbox), so both sides
// use one definition of the signed content.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace paymentd::portone {

/// The HMAC key from a secret as PortOne shows it: an optional "whsec_" prefix,
/// then standard Base64. nullopt when the rest is not Base64 or decodes to nothing.
std::optional<std::string> decodeWebhookSecret(std::string_view secret);

/// HMAC-SHA256(key, "{id}.{timestamp}.{body}"): 32 raw bytes. `body` is the raw
/// request body, byte for byte; never re-serialized JSON.
std::string webhookSignature(std::string_view key, std::string_view id, std::string_view timestamp,
                             std::string_view body);

/// One entry of the `webhook-signature` header: "v1," + Base64(signature).
std::string webhookSignatureEntry(std::string_view key, std::string_view id,
                                  std::string_view timestamp, std::string_view body);

/// Standard Base64 (RFC 4648 §4, padded). decodeBase64 returns nullopt on any
/// character outside the alphabet or a bad length.
std::string encodeBase64(std::string_view bytes);
std::optional<std::string> decodeBase64(std::string_view text);

}  // namespace paymentd::portone
