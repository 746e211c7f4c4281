// config/admin_config.h: the `admin:` section, the operator API's listener.
#pragma once

#include <string>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace paymentd::config {

void readAdmin(MapReader& root, const std::string& base_dir, AdminConfig& admin);

}  // namespace paymentd::config
