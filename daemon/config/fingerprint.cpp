#include "config/fingerprint.h"

#include <cstdio>

#include "config/bounded_file.h"

namespace paymentd::config {

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::uint64_t configFingerprint(const Config& config) {
  std::string both;
  for (const std::string& path : {config.path, config.catalog}) {
    const BoundedRead read = readRegularFile(path, kMaxConfigFileBytes);
    both += read.content.value_or("") + '\0';  // a separator: "ab"+"c" is not "a"+"bc"
  }
  return fnv1a64(both);
}

std::string hexFingerprint(std::uint64_t fingerprint) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(fingerprint));
  return text;
}

}  // namespace paymentd::config
