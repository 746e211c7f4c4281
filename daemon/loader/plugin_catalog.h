// loader/plugin_catalog.h: every plugin library found in the configured directories.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config_problems.h"
#include "loader/plugin_library.h"

namespace paymentd::loader {

class PluginCatalog {
 public:
  /// Loads every `*.so` in the directories (in name order). Each library that
  /// cannot be used, and each second library with the same name@version, is
  /// reported as one line naming its file.
  static PluginCatalog scan(const std::vector<std::string>& directories,
                            config::ConfigProblems& problems);

  /// Finds "NAME" or "NAME@VERSION". NAME alone must match exactly one version.
  /// @return the library, or nullptr with `error` set.
  std::shared_ptr<PluginLibrary> find(const std::string& reference, std::string& error) const;

  const std::vector<std::shared_ptr<PluginLibrary>>& libraries() const { return libraries_; }

 private:
  std::vector<std::string> directories_;
  std::vector<std::shared_ptr<PluginLibrary>> libraries_;
};

}  // namespace paymentd::loader
