#include "loader/plugin_set.h"

#include <cstdint>

#include "config/fingerprint.h"

namespace paymentd::loader {
namespace {

// Checks an entry's config block against the keys the plugin declares.
bool checkConfigKeys(const config::PluginEntry& entry, const PluginLibrary& library,
                     config::ConfigProblems& problems) {
  const PluginDescriptor& descriptor = library.descriptor();
  bool ok = true;
  std::string accepted;
  for (std::size_t i = 0; i < descriptor.config_key_count; ++i) {
    accepted += (i ? ", " : "") + std::string(descriptor.config_keys[i].name);
  }
  for (const auto& [key, value] : entry.config) {
    bool declared = false;
    for (std::size_t i = 0; i < descriptor.config_key_count; ++i) {
      declared = declared || key == descriptor.config_keys[i].name;
    }
    if (!declared) {
      problems.add(entry.config_marks.at(key),
                   "plugin '" + library.name() + "' (" + library.path().string() +
                       ") has no config key '" + key +
                       "'; it accepts: " + (accepted.empty() ? "no keys" : accepted));
      ok = false;
    }
  }
  for (std::size_t i = 0; i < descriptor.config_key_count; ++i) {
    const ConfigKey& key = descriptor.config_keys[i];
    if (key.presence == ConfigKey::kRequired && entry.config.count(key.name) == 0) {
      problems.add(entry.mark, "plugin '" + library.name() + "' (" + library.path().string() +
                                   ") needs config key '" + key.name +
                                   "': " + (key.help ? key.help : ""));
      ok = false;
    }
  }
  return ok;
}

template <typename Interface>
std::optional<LoadedPlugin<Interface>> instantiate(const config::PluginEntry& entry,
                                                   PluginKind kind, const std::string& place,
                                                   const PluginCatalog& catalog,
                                                   config::ConfigProblems& problems) {
  std::string error;
  auto library = catalog.find(entry.plugin, error);
  if (!library) {
    problems.add(entry.mark, error);
    return std::nullopt;
  }
  if (library->kind() != kind) {
    problems.add(entry.mark, "plugin '" + library->name() + "' (" + library->path().string() +
                                 ") is a " + kindName(library->kind()) + ", but " + place +
                                 " takes a " + kindName(kind));
    return std::nullopt;
  }
  if (!checkConfigKeys(entry, *library, problems)) return std::nullopt;
  try {
    std::shared_ptr<PluginInstance> instance = library->create(PluginConfig(entry.config));
    auto typed = std::dynamic_pointer_cast<const Interface>(instance);
    if (!typed) {
      problems.add(entry.mark, "plugin '" + library->name() + "' (" + library->path().string() +
                                   ") created an object that is not a " + kindName(kind));
      return std::nullopt;
    }
    return LoadedPlugin<Interface>{library->name(), library->identity(), library->path().string(),
                                   std::move(typed)};
  } catch (const PluginLoadError& e) {
    problems.add(entry.mark, library->path().string() + ": " + e.what());
    return std::nullopt;
  }
}

template <typename Interface>
std::optional<PluginRoute<Interface>> instantiateRoute(const config::RolloutEntry& entry,
                                                       PluginKind kind, const std::string& place,
                                                       const PluginCatalog& catalog,
                                                       config::ConfigProblems& problems) {
  auto primary = instantiate<Interface>(entry.entry, kind, place, catalog, problems);
  std::optional<LoadedPlugin<Interface>> canary;
  if (entry.canary) {
    canary =
        instantiate<Interface>(entry.canary->entry, kind, place + ".canary", catalog, problems);
    if (!canary) return std::nullopt;
  }
  if (!primary) return std::nullopt;
  PluginRoute<Interface> route{std::move(*primary), std::move(canary), 0, {}, entry.enabled};
  if (entry.canary) {
    route.canary_percent = entry.canary->percent;
    route.canary_users.insert(entry.canary->users.begin(), entry.canary->users.end());
  }
  return route;
}

// "validator NAME@V for WHERE (PATH)" and, with a canary, its line.
template <typename Interface>
void describeRoute(const char* kind, const std::string& where, const PluginRoute<Interface>& route,
                   std::vector<std::string>& lines) {
  lines.push_back(std::string(kind) + " " + route.primary.identity + where + " (" +
                  route.primary.path + ")" + (route.enabled ? "" : ", disabled"));
  if (route.canary) {
    lines.push_back(std::string(kind) + " " + route.canary->identity + where + " (" +
                    route.canary->path + "), canary for " + std::to_string(route.canary_percent) +
                    "% and " + std::to_string(route.canary_users.size()) + " listed users");
  }
}

}  // namespace

int rolloutBucket(const std::string& user_id) {
  return static_cast<int>(config::fnv1a64(user_id) % 100);
}

bool inCanaryShare(const std::set<std::string>& users, int percent, const std::string& user_id) {
  return users.count(user_id) != 0 || rolloutBucket(user_id) < percent;
}

std::vector<std::string> PluginSet::describe() const {
  std::vector<std::string> lines;
  for (const auto& route : validators) describeRoute("validator", "", route, lines);
  for (const auto& [type, route] : processors)
    describeRoute("processor", " for " + type, route, lines);
  for (const auto& [channel, route] : notifiers)
    describeRoute("notifier", " for " + channel, route, lines);
  return lines;
}

std::shared_ptr<const PluginSet> buildPluginSet(const config::PluginsConfig& plugins,
                                                config::ConfigProblems& problems) {
  const std::size_t before = problems.lines().size();
  PluginCatalog catalog = PluginCatalog::scan(plugins.directories, problems);
  auto set = std::make_shared<PluginSet>();
  set->libraries = catalog.libraries();
  for (const auto& entry : plugins.validators) {
    if (auto route = instantiateRoute<Validator>(entry, PluginKind::kValidator,
                                                 "plugins.validators", catalog, problems)) {
      set->validators.push_back(std::move(*route));
    }
  }
  for (const auto& [type, entry] : plugins.processors) {
    if (auto route = instantiateRoute<Processor>(entry, PluginKind::kProcessor,
                                                 "plugins.processors." + type, catalog, problems)) {
      set->processors.emplace(type, std::move(*route));
    }
  }
  for (const auto& [channel, entry] : plugins.notifiers) {
    if (auto route = instantiateRoute<Notifier>(
            entry, PluginKind::kNotifier, "plugins.notifiers." + channel, catalog, problems)) {
      set->notifiers.emplace(channel, std::move(*route));
    }
  }
  if (problems.lines().size() != before) return nullptr;
  return set;
}

}  // namespace paymentd::loader
