// loader/plugin_set.h: the plugin instances one config asks for, ready to call.
//
// A PluginSet is immutable once built and shared by every request thread; a
// reload builds a new set beside the old one and swaps the pointer. Each
// instance keeps its library loaded, so a set that is still referenced by a
// request in flight stays fully usable after a swap.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
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

/// 0-99, stable across processes and machines.
int rolloutBucket(const std::string& user_id);

/// Whether a user is in a canary's share: allow-listed, or their stable bucket
/// (FNV-1a of the user id, mod 100) is under `percent`. The one rule for every
/// plugin kind, so a user gets the same answer for each, on every daemon.
bool inCanaryShare(const std::set<std::string>& users, int percent, const std::string& user_id);

/// One configured plugin of any kind (a validator in the chain, a payment
/// type's processor, a channel's notifier) with its rollout rule.
template <typename Interface>
struct PluginRoute {
  LoadedPlugin<Interface> primary;
  std::optional<LoadedPlugin<Interface>> canary;
  int canary_percent = 0;
  std::set<std::string> canary_users;
  bool enabled = true;

  /// The canary for users in its share (inCanaryShare), else the primary.
  const LoadedPlugin<Interface>& choose(const std::string& user_id) const {
    return canary && inCanaryShare(canary_users, canary_percent, user_id) ? *canary : primary;
  }
};

using ValidatorRoute = PluginRoute<Validator>;
using ProcessorRoute = PluginRoute<Processor>;
using NotifierRoute = PluginRoute<Notifier>;

struct PluginSet {
  std::vector<ValidatorRoute> validators;                 // in run order
  std::map<std::string, ProcessorRoute> processors;       // by payment type
  std::map<std::string, NotifierRoute> notifiers;         // by channel
  std::vector<std::shared_ptr<PluginLibrary>> libraries;  // everything scanned

  /// One line per plugin, for --check-config and the start-up log.
  std::vector<std::string> describe() const;
};

/// Scans the directories and builds every configured instance. Returns nullptr
/// with one problem line per refusal when anything is wrong.
std::shared_ptr<const PluginSet> buildPluginSet(const config::PluginsConfig& plugins,
                                                config::ConfigProblems& problems);

}  // namespace paymentd::loader
