// config/password_file.h: the password of a database or Redis, from its own file.
#pragma once

#include <optional>
#include <string>

namespace paymentd::config {

struct PasswordRead {
  std::optional<std::string> password;  // the first line, without its line end
  std::string problem;                  // otherwise why not; never the content
};

/// Reads the first line of `path`, a regular file of at most kMaxSecretFileBytes.
PasswordRead readPasswordFile(const std::string& path);

}  // namespace paymentd::config
