#include "config/config.h"

#include <filesystem>

#include "config/yaml_reader.h"

namespace paymentd::config {
namespace {

namespace fs = std::filesystem;

std::string resolve(const fs::path& base_dir, const std::string& path) {
  const fs::path p(path);
  return (p.is_absolute() ? p : base_dir / p).lexically_normal().string();
}

void readHttp(MapReader& root, HttpConfig& http) {
  YAML::Node node = root.node("http", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "http", root.problems());
  if (!map.valid()) return;
  if (auto listen = map.string("listen", false)) {
    const auto colon = listen->rfind(':');
    std::string host = colon == std::string::npos ? "" : listen->substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = -1;
    try {
      std::size_t used = 0;
      const std::string port_text = listen->substr(colon + 1);
      port = std::stoi(port_text, &used);
      if (used != port_text.size()) port = -1;
    } catch (const std::exception&) {
      port = -1;
    }
    if (colon == std::string::npos || host.empty() || port < 0 || port > 65535) {
      map.problems().add(map.markOfKey("listen"),
                         "http.listen must be HOST:PORT (port 0-65535), found '" + *listen + "'");
    } else {
      http.host = host;
      http.port = static_cast<std::uint16_t>(port);
    }
  }
  if (auto v = map.integer("threads", false, 1, 4096)) http.threads = static_cast<int>(*v);
  if (auto v = map.integer("max_body_bytes", false, 1024, 64 * 1024 * 1024)) http.max_body_bytes = *v;
  if (auto v = map.integer("keep_alive_timeout_s", false, 1, 3600)) {
    http.keep_alive_timeout_s = static_cast<int>(*v);
  }
  if (auto v = map.integer("drain_timeout_s", false, 0, 3600)) http.drain_timeout_s = static_cast<int>(*v);
  map.finish();
}

void readPortOne(MapReader& root, const fs::path& base_dir, PortOneConfig& portone) {
  YAML::Node node = root.node("portone", true);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "portone", root.problems());
  if (!map.valid()) return;
  if (auto v = map.string("api_base", true)) {
    if (v->rfind("https://", 0) != 0 && v->rfind("http://", 0) != 0) {
      map.problems().add(map.markOfKey("api_base"),
                         "portone.api_base must start with https:// (or http:// for a loopback sandbox)");
    }
    portone.api_base = *v;
  }
  if (auto v = map.string("store_id", true)) portone.store_id = *v;
  if (auto v = map.string("api_secret_file", true)) {
    portone.api_secret_file = resolve(base_dir, *v);
    portone.api_secret_file_mark = map.markOfKey("api_secret_file");
  }
  if (auto v = map.strings("webhook_secret_files", true)) {
    if (v->empty()) {
      map.problems().add(map.markOfKey("webhook_secret_files"),
                         "portone.webhook_secret_files must name at least one file");
    }
    const YAML::Node items = map.node("webhook_secret_files", true);
    for (std::size_t i = 0; i < v->size(); ++i) {
      portone.webhook_secret_files.push_back(resolve(base_dir, (*v)[i]));
      portone.webhook_secret_file_marks.push_back(markOf(map.file(), items[i]));
    }
  }
  if (auto v = map.integer("connect_timeout_ms", false, 1, 60'000)) {
    portone.connect_timeout_ms = static_cast<int>(*v);
  }
  if (auto v = map.integer("read_timeout_ms", false, 1, 120'000)) {
    portone.read_timeout_ms = static_cast<int>(*v);
  }
  if (auto v = map.integer("request_deadline_ms", false, 1, 300'000)) {
    portone.request_deadline_ms = static_cast<int>(*v);
  }
  map.finish();
}

std::optional<PluginEntry> readEntry(const YAML::Node& node, const std::string& file,
                                     const std::string& what, ConfigProblems& problems) {
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

void readEntryMap(MapReader& plugins, const std::string& key,
                  std::map<std::string, PluginEntry>& out) {
  YAML::Node node = plugins.node(key, false);
  if (!node.IsDefined() || node.IsNull()) return;
  MapReader map(node, plugins.file(), "plugins." + key, plugins.problems());
  if (!map.valid()) return;
  for (const auto& item : node) {
    const std::string name = item.first.Scalar();
    if (out.count(name) != 0) continue;  // the duplicate was reported by MapReader
    auto entry = readEntry(map.node(name, true), plugins.file(), "plugins." + key + "." + name,
                           plugins.problems());
    if (entry) out.emplace(name, std::move(*entry));
  }
}

void readPlugins(MapReader& root, const fs::path& base_dir, const std::string& default_dir,
                 PluginsConfig& plugins) {
  YAML::Node node = root.node("plugins", false);
  if (!node.IsDefined() || node.IsNull()) {
    plugins.directories = {default_dir};
    return;
  }
  MapReader map(node, root.file(), "plugins", root.problems());
  if (!map.valid()) return;
  if (auto dirs = map.strings("directories", false)) {
    for (const auto& dir : *dirs) plugins.directories.push_back(resolve(base_dir, dir));
  } else {
    plugins.directories = {default_dir};
  }
  YAML::Node validators = map.node("validators", false);
  if (validators.IsDefined() && !validators.IsNull()) {
    if (!validators.IsSequence()) {
      map.problems().add(markOf(map.file(), validators), "plugins.validators must be a list");
    } else {
      int index = 0;
      for (const auto& item : validators) {
        auto entry = readEntry(item, map.file(),
                               "plugins.validators[" + std::to_string(index++) + "]", map.problems());
        if (entry) plugins.validators.push_back(std::move(*entry));
      }
    }
  }
  readEntryMap(map, "processors", plugins.processors);
  readEntryMap(map, "notifiers", plugins.notifiers);
  map.finish();
}

void readLogging(MapReader& root, LoggingConfig& logging) {
  YAML::Node node = root.node("logging", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "logging", root.problems());
  if (!map.valid()) return;
  static const std::map<std::string, std::string> kLevels = {
      {"trace", "trace"},     {"debug", "debug"}, {"info", "information"}, {"notice", "notice"},
      {"warning", "warning"}, {"error", "error"}, {"fatal", "fatal"}};
  if (auto level = map.string("level", false)) {
    auto it = kLevels.find(*level);
    if (it == kLevels.end()) {
      map.problems().add(map.markOfKey("level"),
                         "logging.level must be one of trace, debug, info, notice, warning, error, "
                         "fatal; found '" + *level + "'");
    } else {
      logging.level = it->second;
    }
  }
  if (auto format = map.string("format", false)) {
    if (*format == "text") {
      logging.format = LogFormat::kText;
    } else if (*format == "json") {
      logging.format = LogFormat::kJson;
    } else {
      map.problems().add(map.markOfKey("format"),
                         "logging.format must be text or json, found '" + *format + "'");
    }
  }
  map.finish();
}

}  // namespace

std::optional<Config> loadConfig(const std::string& path, const std::string& default_plugin_dir,
                                 ConfigProblems& problems) {
  const std::size_t problems_before = problems.lines().size();
  auto root_node = loadYamlFile(path, problems);
  if (!root_node) return std::nullopt;

  Config config;
  config.path = fs::absolute(path).lexically_normal().string();
  const fs::path base_dir = fs::path(config.path).parent_path();
  MapReader root(*root_node, path, "the config", problems);

  readHttp(root, config.http);
  if (auto storage = root.string("storage", true)) {
    if (storage->rfind("sqlite:", 0) == 0) {
      const std::string file = storage->substr(7);
      config.storage = file.empty() ? *storage : "sqlite:" + resolve(base_dir, file);
      if (file.empty()) problems.add(root.markOfKey("storage"), "storage sqlite: needs a file path");
    } else if (storage->rfind("postgresql://", 0) == 0) {
      config.storage = *storage;
    } else {
      problems.add(root.markOfKey("storage"),
                   "storage must be sqlite:PATH or postgresql://user@host:port/db, found '" +
                       *storage + "'");
    }
  }
  config.lock = root.string("lock", false).value_or("local");
  if (config.lock != "local" && config.lock.rfind("redis://", 0) != 0) {
    problems.add(root.markOfKey("lock"),
                 "lock must be local or redis://host:port/db, found '" + config.lock + "'");
  }
  readPortOne(root, base_dir, config.portone);
  if (auto catalog = root.string("catalog", true)) config.catalog = resolve(base_dir, *catalog);
  readPlugins(root, base_dir, default_plugin_dir, config.plugins);
  readLogging(root, config.logging);
  root.finish();

  if (problems.lines().size() != problems_before) return std::nullopt;
  return config;
}

}  // namespace paymentd::config
