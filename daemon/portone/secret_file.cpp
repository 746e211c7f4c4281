#include "portone/secret_file.h"

#include "config/bounded_file.h"

namespace paymentd::portone {

std::string readSecretFile(const std::string& path) {
  config::BoundedRead file = config::readRegularFile(path, config::kMaxSecretFileBytes);
  if (!file.content) throw SecretFileError("cannot read secret file " + path + ": " + file.problem);
  std::string text = std::move(*file.content);
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw SecretFileError("secret file " + path + " is empty");
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace paymentd::portone
