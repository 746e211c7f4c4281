// config/plugins_config.h: the `plugins:` section: where plugins are, which
// run for what, and each entry's config block.
#pragma once

#include <string>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace paymentd::config {

void readPlugins(MapReader& root, const std::string& base_dir, const std::string& default_dir,
                 PluginsConfig& plugins);

}  // namespace paymentd::config
