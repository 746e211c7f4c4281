// config/config.h: the daemon's configuration, as read from paymentd.yaml.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config_problems.h"

namespace paymentd::config {

struct HttpConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 16;  // also the most connections served at once (one thread each)
  std::int64_t max_body_bytes = 64 * 1024;
  int keep_alive_timeout_s = 5;
  int drain_timeout_s = 30;  // how long SIGTERM waits for requests in flight
};

struct PortOneConfig {
  std::string api_base;
  std::string store_id;
  std::string api_secret_file;                    // absolute after loading
  std::vector<std::string> webhook_secret_files;  // absolute after loading
  // API call limits. The whole call (all retries) must end well before the
  // payment lock's time to live runs out, so these stay short.
  int connect_timeout_ms = 2000;
  int read_timeout_ms = 10000;
  int request_deadline_ms = 15000;
  SourceMark api_secret_file_mark;                    // for --check-config
  std::vector<SourceMark> webhook_secret_file_marks;  // one per file
};

/// One plugin entry: `plugin: NAME[@VERSION]` plus its `config:` block.
struct PluginEntry {
  std::string plugin;
  std::map<std::string, std::string> config;
  std::map<std::string, SourceMark> config_marks;  // where each config key is
  SourceMark mark;                                 // where the entry is
};

struct PluginsConfig {
  std::vector<std::string> directories;            // absolute after loading
  std::vector<PluginEntry> validators;             // in run order
  std::map<std::string, PluginEntry> processors;   // payment type -> processor
  std::map<std::string, PluginEntry> notifiers;    // channel -> notifier
};

enum class LogFormat { kText = 1, kJson };

struct LoggingConfig {
  std::string level = "information";  // a Poco level name
  LogFormat format = LogFormat::kText;
};

struct Config {
  std::string path;  // the file this came from, absolute
  HttpConfig http;
  std::string storage;
  std::string lock;
  PortOneConfig portone;
  std::string catalog;  // absolute after loading
  PluginsConfig plugins;
  LoggingConfig logging;
};

/// Reads and checks a config file. Relative paths inside it are resolved
/// against the file's directory; `default_plugin_dir` is searched when the
/// config names no plugin directories. Returns nullopt with `problems` filled
/// when anything is wrong.
std::optional<Config> loadConfig(const std::string& path, const std::string& default_plugin_dir,
                                 ConfigProblems& problems);

}  // namespace paymentd::config
