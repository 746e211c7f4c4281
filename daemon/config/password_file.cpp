#include "config/password_file.h"

#include "config/bounded_file.h"

namespace paymentd::config {

PasswordRead readPasswordFile(const std::string& path) {
  BoundedRead read = readRegularFile(path, kMaxSecretFileBytes);
  if (!read.content) return PasswordRead{std::nullopt, read.problem};
  std::string password = read.content->substr(0, read.content->find('\n'));
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return PasswordRead{password, ""};
}

}  // namespace paymentd::config
