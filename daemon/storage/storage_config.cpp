#include "storage/storage_config.h"

#include <stdexcept>

#include "config/password_file.h"

namespace paymentd::storage {

DatabaseOptions databaseOptions(const config::Config& config) {
  DatabaseOptions options;
  options.pool_size = static_cast<std::size_t>(config.storage_pool_size);
  if (!config.storage_password_file.empty()) {
    const config::PasswordRead read = config::readPasswordFile(config.storage_password_file);
    if (!read.password) {
      throw std::runtime_error("cannot read storage_password_file " + config.storage_password_file +
                               ": " + read.problem);
    }
    options.password = read.password;
  }
  return options;
}

}  // namespace paymentd::storage
