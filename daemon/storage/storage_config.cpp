#include "storage/storage_config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace paymentd::storage {

DatabaseOptions databaseOptions(const config::Config& config) {
  DatabaseOptions options;
  options.pool_size = static_cast<std::size_t>(config.storage_pool_size);
  if (!config.storage_password_file.empty()) {
    std::ifstream in(config.storage_password_file);
    if (!in) {
      throw std::runtime_error("cannot read storage_password_file " + config.storage_password_file +
                               ": " + std::strerror(errno));
    }
    std::string password;
    std::getline(in, password);  // the first line; a trailing newline is not part of it
    if (!password.empty() && password.back() == '\r') password.pop_back();
    options.password = password;
  }
  return options;
}

}  // namespace paymentd::storage
