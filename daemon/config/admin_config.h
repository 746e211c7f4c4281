// config/admin_config.h: the `admin:` section, the operator API's listener.
#pragma once

#include <string>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace paymentd::config {

/// A shorter bearer token is refused: it could be guessed.
inline constexpr std::size_t kMinAdminTokenLength = 16;

/// Reads `admin:` and checks its token file (readable, long enough).
void readAdmin(MapReader& root, const std::string& base_dir, AdminConfig& admin);

}  // namespace paymentd::config
