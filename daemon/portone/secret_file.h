// portone/secret_file.h: reads a secret (API secret, webhook secret) from its file.
#pragma once

#include <stdexcept>
#include <string>

namespace paymentd::portone {

/// Failure to read a secret file. The message names the file, never its content.
class SecretFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The file's content with surrounding whitespace (a trailing newline) removed.
/// @throws SecretFileError when the file cannot be read, is not a regular file of at most
/// config::kMaxSecretFileBytes, or holds only whitespace.
std::string readSecretFile(const std::string& path);

}  // namespace paymentd::portone
