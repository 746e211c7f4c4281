#include "config/config.h"

#include <algorithm>
#include <filesystem>

#include "config/admin_config.h"
#include "config/database_url.h"
#include "config/listen_address.h"
#include "config/password_file.h"
#include "config/plugins_config.h"
#include "config/reconcile_config.h"
#include "config/redis_url.h"
#include "config/yaml_reader.h"

namespace paymentd::config {
namespace {

namespace fs = std::filesystem;

// The start reads it again where it uses it; a problem is reported here, at its key.
void checkPasswordFile(MapReader& root, const std::string& key, const std::string& path) {
  const PasswordRead read = readPasswordFile(path);
  if (!read.password) {
    root.problems().add(root.markOfKey(key),
                        key + ": cannot read password file " + path + ": " + read.problem);
  }
}

void readLock(MapReader& root, const std::string& base_dir, Config& config) {
  config.lock = root.string("lock", false).value_or("local");
  if (config.lock != "local") {
    try {
      lock::parseRedisUrl(config.lock);
    } catch (const std::invalid_argument& e) {
      // The reason only: a mistyped URL may hold a password.
      root.problems().add(root.markOfKey("lock"), std::string("lock: ") + e.what());
    }
  }
  if (auto v = root.path("lock_password_file", false, base_dir)) {
    if (config.lock == "local") {
      root.problems().add(root.markOfKey("lock_password_file"),
                          "lock_password_file applies to a Redis lock only");
    }
    config.lock_password_file = *v;
    checkPasswordFile(root, "lock_password_file", *v);
  }
}

void readHttp(MapReader& root, HttpConfig& http) {
  YAML::Node node = root.node("http", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "http", root.problems());
  if (!map.valid()) return;
  if (auto listen = map.string("listen", false)) {
    if (const auto address = parseListenAddress(*listen)) {
      http.host = address->host;
      http.port = address->port;
    } else {
      map.problems().add(map.markOfKey("listen"),
                         "http.listen must be HOST:PORT (port 0-65535), found '" + *listen + "'");
    }
  }
  if (auto v = map.integer("threads", false, 1, 4096)) http.threads = static_cast<int>(*v);
  if (auto v = map.integer("max_connections", false, 1, 1'000'000)) {
    http.max_connections = static_cast<int>(*v);
  }
  if (auto v = map.integer("header_timeout_ms", false, 100, 600'000)) {
    http.header_timeout_ms = static_cast<int>(*v);
  }
  if (auto v = map.integer("body_timeout_ms", false, 100, 600'000)) {
    http.body_timeout_ms = static_cast<int>(*v);
  }
  if (auto v = map.integer("max_body_bytes", false, 1024, 64 * 1024 * 1024))
    http.max_body_bytes = *v;
  if (auto v = map.integer("keep_alive_timeout_s", false, 1, 3600)) {
    http.keep_alive_timeout_s = static_cast<int>(*v);
  }
  if (auto v = map.integer("drain_timeout_s", false, 0, 3600))
    http.drain_timeout_s = static_cast<int>(*v);
  map.finish();
}

void readPortOne(MapReader& root, const std::string& base_dir, PortOneConfig& portone) {
  YAML::Node node = root.node("portone", true);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "portone", root.problems());
  if (!map.valid()) return;
  if (auto v = map.string("api_base", true)) {
    if (v->rfind("https://", 0) != 0 && v->rfind("http://", 0) != 0) {
      map.problems().add(
          map.markOfKey("api_base"),
          "portone.api_base must start with https:// (or http:// for a loopback sandbox)");
    }
    portone.api_base = *v;
  }
  if (auto v = map.string("store_id", true)) portone.store_id = *v;
  if (auto v = map.path("api_secret_file", true, base_dir)) {
    portone.api_secret_file = *v;
    portone.api_secret_file_mark = map.markOfKey("api_secret_file");
  }
  if (auto v = map.paths("webhook_secret_files", true, base_dir)) {
    if (v->empty()) {
      map.problems().add(map.markOfKey("webhook_secret_files"),
                         "portone.webhook_secret_files must name at least one file");
    }
    portone.webhook_secret_files = *v;
    const YAML::Node items = map.node("webhook_secret_files", true);
    for (std::size_t i = 0; i < v->size(); ++i) {
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
  if (auto v = map.boolean("require_live", false)) portone.require_live = *v;
  portone.v1 = readPortOneV1(map, base_dir);
  map.finish();
}

void readPipeline(MapReader& root, const PortOneConfig& portone, PipelineConfig& pipeline) {
  YAML::Node node = root.node("pipeline", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "pipeline", root.problems());
  if (!map.valid()) return;
  if (auto v = map.integer("lock_ttl_ms", false, 1000, 3'600'000)) {
    pipeline.lock_ttl_ms = static_cast<int>(*v);
    if (pipeline.lock_ttl_ms <= portone.request_deadline_ms) {
      map.problems().add(map.markOfKey("lock_ttl_ms"),
                         "pipeline.lock_ttl_ms must be longer than portone.request_deadline_ms (" +
                             std::to_string(portone.request_deadline_ms) + ")");
    }
  }
  // Up to 10 s: a dead daemon's payments must be free again within that.
  if (auto v = map.integer("lock_lease_ms", false, 300, 10'000)) {
    pipeline.lock_lease_ms = static_cast<int>(*v);
  }
  if (auto v = map.string("admin_channel", false)) pipeline.admin_channel = *v;
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
                         "fatal; found '" +
                             *level + "'");
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

void readOutbox(MapReader& root, OutboxConfig& outbox) {
  YAML::Node node = root.node("outbox", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "outbox", root.problems());
  if (!map.valid()) return;
  const auto read = [&](const char* key, std::int64_t min, std::int64_t max, int& out) {
    if (auto v = map.integer(key, false, min, max)) out = static_cast<int>(*v);
  };
  read("poll_interval_ms", 10, 600'000, outbox.poll_interval_ms);
  read("batch_size", 1, 1000, outbox.batch_size);
  read("lease_s", 5, 86'400, outbox.lease_s);
  read("max_attempts", 1, 1000, outbox.max_attempts);
  read("backoff_base_ms", 1, 3'600'000, outbox.backoff_base_ms);
  read("backoff_max_ms", 1, 86'400'000, outbox.backoff_max_ms);
  read("notice_grace_s", 1, 7 * 86'400, outbox.notice_grace_s);
  if (outbox.backoff_max_ms < outbox.backoff_base_ms) {
    map.problems().add(map.markOfKey("backoff_max_ms"),
                       "outbox.backoff_max_ms must be at least outbox.backoff_base_ms");
  }
  map.finish();
}

// A PG's decline code: 1-64 visible ASCII characters, each listed once.
void readHardDeclineCodes(MapReader& map, std::set<std::string>& codes) {
  const auto listed = map.strings("hard_decline_codes", false);
  if (!listed) return;
  const YAML::Node items = map.node("hard_decline_codes", false);
  for (std::size_t i = 0; i < listed->size(); ++i) {
    const std::string& code = (*listed)[i];
    const SourceMark mark = markOf(map.file(), items[i]);
    const bool visible =
        std::all_of(code.begin(), code.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    if (code.empty() || code.size() > 64 || !visible) {
      map.problems().add(mark,
                         "recurring.hard_decline_codes items are PG codes of 1-64 visible "
                         "ASCII characters without spaces, found '" +
                             code + "'");
    } else if (!codes.insert(code).second) {
      map.problems().add(mark, "recurring.hard_decline_codes lists " + code + " twice");
    }
  }
}

void readRecurring(MapReader& root, const PluginsConfig& plugins, RecurringConfig& recurring) {
  YAML::Node node = root.node("recurring", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "recurring", root.problems());
  if (!map.valid()) return;
  const auto read = [&](const char* key, std::int64_t min, std::int64_t max, int& out) {
    if (auto v = map.integer(key, false, min, max)) out = static_cast<int>(*v);
  };
  if (auto v = map.string("payment_type", false)) {
    recurring.payment_type = *v;
    // A misspelt type would have every renewal refunded as UNKNOWN_PAYMENT_TYPE.
    if (!plugins.processors.empty() && plugins.processors.count(*v) == 0) {
      map.problems().add(map.markOfKey("payment_type"),
                         "recurring.payment_type " + *v +
                             " is mapped to no processor (add plugins.processors." + *v + ")");
    }
  }
  read("retry_hour", 0, 23, recurring.retry_hour);
  read("alimtalk_until", 0, 1000, recurring.alimtalk_until);
  read("sms_until", 0, 1000, recurring.sms_until);
  read("max_failures", 1, 1000, recurring.max_failures);
  if (auto v = map.string("alimtalk_channel", false)) recurring.alimtalk_channel = *v;
  if (auto v = map.string("sms_channel", false)) recurring.sms_channel = *v;
  readHardDeclineCodes(map, recurring.hard_decline_codes);
  if (recurring.sms_until < recurring.alimtalk_until) {
    map.problems().add(map.markOfKey("sms_until"),
                       "recurring.sms_until must be at least recurring.alimtalk_until");
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
  const std::string base_dir = fs::path(config.path).parent_path().string();
  MapReader root(*root_node, path, "the config", problems);

  readHttp(root, config.http);
  if (auto storage = root.string("storage", true)) {
    if (storage->rfind("sqlite:", 0) == 0) {
      std::string missing;
      const auto file = expandEnvironment(storage->substr(7), missing);
      if (!file) {
        problems.add(root.markOfKey("storage"), "storage uses " + unsetVariable(missing));
      } else if (file->empty()) {
        problems.add(root.markOfKey("storage"), "storage sqlite: needs a file path");
      } else {
        config.storage = "sqlite:" + resolvePath(base_dir, *file);
      }
    } else if (storage::isPostgresUrl(*storage)) {
      config.storage = *storage;
    } else {
      // Echo only the scheme: the rest of a mistyped URL may hold a password.
      const auto colon = storage->find(':');
      const std::string shown = colon == std::string::npos ? *storage : storage->substr(0, colon);
      problems.add(root.markOfKey("storage"),
                   "storage must be sqlite:PATH or postgresql://user@host:port/db, found '" +
                       shown + "...'");
    }
  }
  if (storage::isPostgresUrl(config.storage)) {
    try {
      storage::parseDatabaseUrl(config.storage, std::nullopt);  // the shape; touches no database
    } catch (const std::invalid_argument& e) {
      problems.add(root.markOfKey("storage"), e.what());
    }
  }
  if (auto v = root.integer("storage_pool_size", false, 1, 1024)) {
    config.storage_pool_size = static_cast<int>(*v);
  }
  if (auto v = root.path("storage_password_file", false, base_dir)) {
    if (!storage::isPostgresUrl(config.storage)) {
      problems.add(root.markOfKey("storage_password_file"),
                   "storage_password_file applies to postgresql:// storage only");
    }
    config.storage_password_file = *v;
    checkPasswordFile(root, "storage_password_file", *v);
  }
  readLock(root, base_dir, config);
  readPortOne(root, base_dir, config.portone);
  if (auto catalog = root.path("catalog", true, base_dir)) config.catalog = *catalog;
  config.catalog_mark = root.markOfKey("catalog");
  readPlugins(root, base_dir, default_plugin_dir, config.plugins);
  readPipeline(root, config.portone, config.pipeline);
  readLogging(root, config.logging);
  readOutbox(root, config.outbox);
  readRecurring(root, config.plugins, config.recurring);
  readReconcile(root, config.reconcile);
  readAdmin(root, base_dir, config.admin);
  config.events = readEvents(root, base_dir);
  if (auto url = root.string("public_url", false)) {
    if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
      problems.add(root.markOfKey("public_url"), "public_url must start with https://");
    }
    config.public_url = *url;
    while (!config.public_url.empty() && config.public_url.back() == '/')
      config.public_url.pop_back();
  } else {
    config.public_url = "http://" + config.http.host + ":" + std::to_string(config.http.port);
  }
  root.finish();

  if (problems.lines().size() != problems_before) return std::nullopt;
  return config;
}

}  // namespace paymentd::config
