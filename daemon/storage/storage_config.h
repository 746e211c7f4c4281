// storage/storage_config.h: DatabaseOptions from the daemon's configuration.
#pragma once

#include "config/config.h"
#include "storage/database.h"

namespace paymentd::storage {

/// Reads the password file when one is configured; throws std::runtime_error
/// naming the file (never its content) when it cannot be read.
DatabaseOptions databaseOptions(const config::Config& config);

}  // namespace paymentd::storage
