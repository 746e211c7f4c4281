// app/reloader.h: SIGHUP: read the config again and swap in the new plugin set.
//
// The new set is loaded and checked beside the running one; only a set with no
// problem replaces it. A refused reload logs every problem line and leaves the
// running set serving. Settings that need a restart (listen address, storage,
// lock, PortOne endpoint) are reported, not applied.
#pragma once

#include <string>

#include "config/config.h"
#include "loader/active_plugins.h"

namespace paymentd::app {

class Reloader {
 public:
  Reloader(std::string config_path, std::string default_plugin_dir, config::Config running,
           loader::ActivePlugins& plugins);

  /// @return whether the new plugin set is now active.
  bool reload();

 private:
  std::string config_path_;
  std::string default_plugin_dir_;
  config::Config running_;
  loader::ActivePlugins& plugins_;
};

}  // namespace paymentd::app
