// config/bounded_file.h: reads a file an operator's config names (the config itself, the
// plans catalog, a secret) without trusting what the path is.
//
// A path may name a directory, /dev/zero (endless: the whole of memory) or a FIFO (opening
// it blocks until a writer comes). Only a regular file up to a size is read; anything else
// is refused at once with the reason, so --check-config and the start answer, never hang.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace paymentd::config {

inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;  // paymentd.yaml, plans.yaml
inline constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;    // a secret is a line

struct BoundedRead {
  std::optional<std::string> content;  // the whole file, when it was read
  std::string problem;                 // otherwise why not: "a directory, not a regular file"
};

/// The content of `path` when it is a regular file of at most `max_bytes`.
BoundedRead readRegularFile(const std::string& path, std::size_t max_bytes);

}  // namespace paymentd::config
