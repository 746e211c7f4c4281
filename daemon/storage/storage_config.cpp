#include "storage/storage_config.h"

#include <stdexcept>

#include "config/bounded_file.h"

namespace paymentd::storage {

DatabaseOptions databaseOptions(const config::Config& config) {
  DatabaseOptions options;
  options.pool_size = static_cast<std::size_t>(config.storage_pool_size);
  if (!config.storage_password_file.empty()) {
    // Like every secret: a regular file of at most 64 KiB, refused at once.
    const config::BoundedRead read =
        config::readRegularFile(config.storage_password_file, config::kMaxSecretFileBytes);
    if (!read.content) {
      throw std::runtime_error("cannot read storage_password_file " + config.storage_password_file +
                               ": " + read.problem);
    }
    // The first line; a trailing newline is not part of it.
    std::string password = read.content->substr(0, read.content->find('\n'));
    if (!password.empty() && password.back() == '\r') password.pop_back();
    options.password = password;
  }
  return options;
}

}  // namespace paymentd::storage
