#include "loader/plugin_set.h"

#include <cstdint>

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

}  // namespace

int rolloutBucket(const std::string& user_id) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bit
  for (unsigned char c : user_id) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return static_cast<int>(hash % 100);
}

const LoadedPlugin<Processor>& ProcessorRoute::choose(const std::string& user_id) const {
  if (canary && (canary_users.count(user_id) != 0 || rolloutBucket(user_id) < canary_percent)) {
    return *canary;
  }
  return primary;
}

std::vector<std::string> PluginSet::describe() const {
  std::vector<std::string> lines;
  for (const auto& v : validators) lines.push_back("validator " + v.identity + " (" + v.path + ")");
  for (const auto& [type, route] : processors) {
    lines.push_back("processor " + route.primary.identity + " for " + type + " (" +
                    route.primary.path + ")" + (route.enabled ? "" : ", disabled"));
    if (route.canary) {
      lines.push_back("processor " + route.canary->identity + " for " + type + " (" +
                      route.canary->path + "), canary for " + std::to_string(route.canary_percent) +
                      "% and " + std::to_string(route.canary_users.size()) + " listed users");
    }
  }
  for (const auto& [channel, n] : notifiers) {
    lines.push_back("notifier " + n.identity + " for " + channel + " (" + n.path + ")");
  }
  return lines;
}

std::shared_ptr<const PluginSet> buildPluginSet(const config::PluginsConfig& plugins,
                                                config::ConfigProblems& problems) {
  const std::size_t before = problems.lines().size();
  PluginCatalog catalog = PluginCatalog::scan(plugins.directories, problems);
  auto set = std::make_shared<PluginSet>();
  set->libraries = catalog.libraries();
  for (const auto& entry : plugins.validators) {
    if (auto loaded = instantiate<Validator>(entry, PluginKind::kValidator, "plugins.validators",
                                             catalog, problems)) {
      set->validators.push_back(std::move(*loaded));
    }
  }
  for (const auto& [type, entry] : plugins.processors) {
    const std::string place = "plugins.processors." + type;
    auto primary =
        instantiate<Processor>(entry.entry, PluginKind::kProcessor, place, catalog, problems);
    std::optional<LoadedPlugin<Processor>> canary;
    if (entry.canary) {
      canary = instantiate<Processor>(entry.canary->entry, PluginKind::kProcessor,
                                      place + ".canary", catalog, problems);
      if (!canary) continue;
    }
    if (!primary) continue;
    ProcessorRoute route{std::move(*primary), std::move(canary), 0, {}, entry.enabled};
    if (entry.canary) {
      route.canary_percent = entry.canary->percent;
      route.canary_users.insert(entry.canary->users.begin(), entry.canary->users.end());
    }
    set->processors.emplace(type, std::move(route));
  }
  for (const auto& [channel, entry] : plugins.notifiers) {
    if (auto loaded = instantiate<Notifier>(entry, PluginKind::kNotifier,
                                            "plugins.notifiers." + channel, catalog, problems)) {
      set->notifiers.emplace(channel, std::move(*loaded));
    }
  }
  if (problems.lines().size() != before) return nullptr;
  return set;
}

}  // namespace paymentd::loader
