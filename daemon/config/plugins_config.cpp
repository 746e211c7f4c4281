#include "config/plugins_config.h"

#include <algorithm>
#include <functional>

namespace paymentd::config {
namespace {

// Reads `NAME` or `{plugin: NAME, config: {...}}`; `extra` reads further keys
// an entry of this kind accepts (before unknown keys are reported).
std::optional<PluginEntry> readEntry(const YAML::Node& node, const std::string& file,
                                     const std::string& what, ConfigProblems& problems,
                                     const std::function<void(MapReader&)>& extra = {}) {
  PluginEntry entry;
  entry.mark = markOf(file, node);
  if (node.IsScalar()) {  // shorthand: just the plugin's name
    entry.plugin = node.Scalar();
    return entry;
  }
  MapReader map(node, file, what, problems);
  if (!map.valid()) return std::nullopt;
  auto plugin = map.string("plugin", true);
  YAML::Node config = map.node("config", false);
  if (extra) extra(map);
  map.finish();
  if (!plugin) return std::nullopt;
  entry.plugin = *plugin;
  if (config.IsDefined() && !config.IsNull()) {
    MapReader config_map(config, file, what + ".config", problems);
    if (!config_map.valid()) return std::nullopt;
    for (const auto& item : config) {
      const std::string key = item.first.Scalar();
      if (!config_map.has(key) || entry.config.count(key) != 0) continue;  // reported already
      if (auto value = config_map.string(key, false)) {
        entry.config[key] = *value;
        entry.config_marks[key] = markOf(file, item.first);
      }
    }
  }
  return entry;
}

std::optional<CanaryEntry> readCanary(MapReader& owner, const std::string& what) {
  YAML::Node node = owner.node("canary", false);
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  CanaryEntry canary;
  bool ok = true;
  auto entry =
      readEntry(node, owner.file(), what + ".canary", owner.problems(), [&](MapReader& map) {
        if (auto percent = map.integer("percent", false, 0, 100))
          canary.percent = static_cast<int>(*percent);
        if (auto users = map.strings("users", false)) canary.users = *users;
        ok = map.has("percent") || map.has("users");
        if (!ok) map.problems().add(map.mark(), what + ".canary needs percent or users");
      });
  if (!entry || !ok) return std::nullopt;
  canary.entry = std::move(*entry);
  return canary;
}

// One entry of any kind: the plugin, `enabled` and `canary` (the same rollout
// keys for validators, processors and notifiers).
std::optional<RolloutEntry> readRollout(const YAML::Node& node, const std::string& file,
                                        const std::string& what, ConfigProblems& problems) {
  RolloutEntry rollout;
  auto entry = readEntry(node, file, what, problems, [&](MapReader& map) {
    if (auto enabled = map.boolean("enabled", false)) rollout.enabled = *enabled;
    rollout.canary = readCanary(map, what);
  });
  if (!entry) return std::nullopt;
  rollout.entry = std::move(*entry);
  return rollout;
}

// `processors` (by payment type) and `notifiers` (by channel).
void readRolloutMap(MapReader& plugins, const std::string& key,
                    std::map<std::string, RolloutEntry>& out) {
  YAML::Node node = plugins.node(key, false);
  if (!node.IsDefined() || node.IsNull()) return;
  MapReader map(node, plugins.file(), "plugins." + key, plugins.problems());
  if (!map.valid()) return;
  for (const auto& item : node) {
    const std::string name = item.first.Scalar();
    if (out.count(name) != 0) continue;  // the duplicate was reported by MapReader
    auto entry = readRollout(map.node(name, true), plugins.file(), "plugins." + key + "." + name,
                             plugins.problems());
    if (entry) out.emplace(name, std::move(*entry));
  }
}

// `payment_types` is the list of types the business sells; checked against the map.
void checkPaymentTypes(MapReader& plugins, PluginsConfig& out) {
  if (!plugins.has("payment_types")) return;
  auto types = plugins.strings("payment_types", false);
  if (!types) return;
  out.payment_types = *types;
  for (const auto& type : *types) {
    if (out.processors.count(type) == 0) {
      plugins.problems().add(plugins.markOfKey("payment_types"),
                             "payment type " + type +
                                 " is mapped to no processor (add plugins.processors." + type +
                                 ")");
    }
  }
  for (const auto& [type, processor] : out.processors) {
    if (std::find(types->begin(), types->end(), type) == types->end()) {
      plugins.problems().add(processor.entry.mark,
                             "plugins.processors." + type + " is not one of plugins.payment_types");
    }
  }
}

}  // namespace

void readPlugins(MapReader& root, const std::string& base_dir, const std::string& default_dir,
                 PluginsConfig& plugins) {
  YAML::Node node = root.node("plugins", false);
  if (!node.IsDefined() || node.IsNull()) {
    plugins.directories = {default_dir};
    return;
  }
  MapReader map(node, root.file(), "plugins", root.problems());
  if (!map.valid()) return;
  if (auto dirs = map.paths("directories", false, base_dir)) {
    plugins.directories = *dirs;
  } else if (!map.has("directories")) {
    plugins.directories = {default_dir};
  }
  YAML::Node validators = map.node("validators", false);
  if (validators.IsDefined() && !validators.IsNull()) {
    if (!validators.IsSequence()) {
      map.problems().add(markOf(map.file(), validators), "plugins.validators must be a list");
    } else {
      int index = 0;
      for (const auto& item : validators) {
        auto entry =
            readRollout(item, map.file(), "plugins.validators[" + std::to_string(index++) + "]",
                        map.problems());
        if (entry) plugins.validators.push_back(std::move(*entry));
      }
    }
  }
  readRolloutMap(map, "processors", plugins.processors);
  readRolloutMap(map, "notifiers", plugins.notifiers);
  checkPaymentTypes(map, plugins);
  map.finish();
}

}  // namespace paymentd::config
