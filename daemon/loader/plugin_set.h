// loader/plugin_set.h: the plugin instances one config asks for, ready to call.
//
// A PluginSet is immutable once built and shared by every request thread; a
// reload builds a new set beside the old one and swaps the pointer. Each
// instance keeps its library loaded, so a set that is still referenced by a
// request in flight stays fully usable after a swap.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_problems.h"
#include "loader/plugin_catalog.h"
#include "paymentd/notifier.h"
#include "paymentd/processor.h"
#include "paymentd/validator.h"

namespace paymentd::loader {

template <typename Interface>
struct LoadedPlugin {
  std::string name;      // from the descriptor
  std::string identity;  // name@version, for traces and logs
  std::string path;      // the library file
  std::shared_ptr<const Interface> instance;
};

struct PluginSet {
  std::vector<LoadedPlugin<Validator>> validators;            // in run order
  std::map<std::string, LoadedPlugin<Processor>> processors;  // by payment type
  std::map<std::string, LoadedPlugin<Notifier>> notifiers;    // by channel
  std::vector<std::shared_ptr<PluginLibrary>> libraries;      // everything scanned

  /// One line per plugin, for --check-config and the start-up log.
  std::vector<std::string> describe() const;
};

/// Scans the directories and builds every configured instance. Returns nullptr
/// with one problem line per refusal when anything is wrong.
std::shared_ptr<const PluginSet> buildPluginSet(const config::PluginsConfig& plugins,
                                                config::ConfigProblems& problems);

}  // namespace paymentd::loader
