// notifiers/common/secret_file.h: a notifier's secret (a webhook URL, an API
// key) from the file its config names. The plugins see only the SDK, so this
// is the host's rule for secrets (config/bounded_file.h) again: only a regular
// file of at most 64 KiB is read; a directory, a device (/dev/zero: endless)
// or a FIFO (opening it blocks) is refused at once, with the reason.
#pragma once

#include <cstddef>
#include <string>

namespace paymentd::notifiers {

inline constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

/// The first line of a secret file, trimmed; throws std::invalid_argument
/// naming the config key (never the content) when unreadable, not a small
/// regular file, or empty.
std::string readSecretFile(const std::string& path, const std::string& key);

}  // namespace paymentd::notifiers
