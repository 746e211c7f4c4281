// config/fingerprint.h: FNV-1a, the one stable hash paymentd uses: for a
// canary's bucket of a user id (loader/plugin_set.h) and for the fingerprint of
// the loaded config files that /metrics and the reload log show.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"

namespace paymentd::config {

/// 64-bit FNV-1a: the same on every machine, build and run.
std::uint64_t fnv1a64(std::string_view bytes);

/// The config file and the catalog file as read now, hashed (never the secret
/// files: a fingerprint must not help anyone guess a secret).
std::uint64_t configFingerprint(const Config& config);

/// 16 lowercase hex digits.
std::string hexFingerprint(std::uint64_t fingerprint);

}  // namespace paymentd::config
