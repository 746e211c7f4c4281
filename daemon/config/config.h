// config/config.h: the daemon's configuration, as read from paymentd.yaml.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config_problems.h"
#include "config/events_config.h"
#include "config/portone_v1_config.h"

namespace paymentd::config {

struct HttpConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 16;            // requests handled at once
  int max_connections = 1024;  // open at once; more are refused with 503
  std::int64_t max_body_bytes = 64 * 1024;
  int keep_alive_timeout_s = 5;
  int header_timeout_ms = 10'000;  // the whole header, from the connection or its first byte
  int body_timeout_ms = 30'000;    // the whole body, from the end of the header
  int drain_timeout_s = 30;        // how long SIGTERM waits for requests in flight
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
  /// Only payments on a LIVE channel are fulfilled; a test-channel payment is
  /// refunded (TEST_CHANNEL_PAYMENT). On in the packaged config.
  bool require_live = false;
  /// PortOne's V1 (Iamport) API; nullopt: none configured.
  std::optional<PortOneV1Config> v1;
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

/// Another plugin of the same kind for a share of users: those on the
/// allow-list, and those whose stable hash of the user id falls under `percent`.
struct CanaryEntry {
  PluginEntry entry;
  int percent = 0;  // 0-100
  std::vector<std::string> users;
};

/// A configured plugin of any kind with its rollout: whether it runs at all,
/// and the canary that replaces it for a share of users.
struct RolloutEntry {
  PluginEntry entry;
  /// false: a processor's paid payment is refunded (PAYMENT_TYPE_DISABLED), a
  /// validator does not run, a notifier's channel drops its notices.
  bool enabled = true;
  std::optional<CanaryEntry> canary = std::nullopt;
};

struct PluginsConfig {
  std::vector<std::string> directories;            // absolute after loading
  std::vector<RolloutEntry> validators;            // in run order
  std::map<std::string, RolloutEntry> processors;  // payment type -> processor
  std::map<std::string, RolloutEntry> notifiers;   // channel -> notifier
  /// The payment types this deployment knows (`plugins.payment_types`). When
  /// given, each must be mapped to a processor and no other type may be: a
  /// type mapped to nothing, or a misspelt type, stops the start.
  std::vector<std::string> payment_types;
};

enum class LogFormat { kText = 1, kJson };

struct LoggingConfig {
  std::string level = "information";  // a Poco level name
  LogFormat format = LogFormat::kText;
};

/// How webhooks are processed.
struct PipelineConfig {
  /// The per-payment lock's time to live; longer than portone.request_deadline_ms,
  /// so a lock never expires while its holder still waits for PortOne.
  int lock_ttl_ms = 60000;
  /// How long a Redis lock key outlives its holder's last renewal (renewed every
  /// third of it): a killed daemon's payments are free again within this long.
  int lock_lease_ms = 5000;
  std::string admin_channel = "admin_slack";  // the notifier told of refunds
};

/// The worker that carries out outbox items after commit (docs/operators.md).
struct OutboxConfig {
  int poll_interval_ms = 1000;  // how often a worker looks for due items
  int batch_size = 16;          // items claimed at once
  int lease_s = 120;            // a claim older than this is taken by another worker
  int max_attempts = 10;        // then the item is dead
  int backoff_base_ms = 2000;   // first retry after about this long, then doubling
  int backoff_max_ms = 3'600'000;
  int notice_grace_s = 21'600;  // a notice later than this is dropped, not sent late
};

/// The payment sweep: PortOne's PAID payments no webhook brought (docs/operations.md).
struct SweepConfig {
  bool enabled = true;
  int lookback_s = 86'400;  // how far back a first (or late) sweep looks
  int overlap_s = 300;      // each sweep looks again at this much before where the last ended
  int page_size = 100;      // payments per GET /payments page
  int max_per_pass = 500;   // payments listed, and resends asked, per reconciler pass
  int max_resends = 3;      // then the payment is left to an operator
};

/// The reconciler: finishes what no webhook finished (docs/operators.md).
struct ReconcileConfig {
  int interval_s = 300;  // how often each daemon looks
  int grace_s = 900;     // how long a webhook may take before paymentd asks PortOne itself
  SweepConfig sweep;
};

/// Failed recurring payments (docs/operators.md, "Recurring billing and failed renewals"). Failure
/// n (1-based) sends the AlimTalk notice while n <= alimtalk_until, the SMS while n <= sms_until,
/// else the admin alert; after max_failures the subscription is FAILED.
struct RecurringConfig {
  std::string payment_type = "BILLING";
  int retry_hour = 10;  // the retry's hour of day in Asia/Seoul (UTC+9)
  int alimtalk_until = 2;
  int sms_until = 3;
  int max_failures = 14;
  std::string alimtalk_channel = "alimtalk";
  std::string sms_channel = "sms";
  /// PortOne's `failure.pgCode` values that retrying cannot fix (a lost or
  /// stolen card, a closed account): such a decline ends the subscription at
  /// once. Empty: every decline follows the retry policy.
  std::set<std::string> hard_decline_codes;
};

/// The operator API's listener (`admin:`); absent: no admin listener.
struct AdminConfig {
  bool enabled = false;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8081;
  std::string token_file;  // absolute after loading; the bearer token every request carries
  SourceMark token_file_mark;
};

struct Config {
  std::string path;  // the file this came from, absolute
  HttpConfig http;
  std::string storage;                // sqlite:/abs/path or a libpq postgresql:// URL
  std::string storage_password_file;  // absolute after loading; empty: none (PostgreSQL only)
  int storage_pool_size = 8;          // database sessions the daemon keeps at most
  std::string lock;                   // local, redis://[user@]host:port/db or unix:/path[?db=N]
  std::string lock_password_file;     // absolute after loading; empty: no AUTH (Redis only)
  PortOneConfig portone;
  std::string catalog;      // absolute after loading
  SourceMark catalog_mark;  // where `catalog:` is, for --check-config
  PluginsConfig plugins;
  PipelineConfig pipeline;
  LoggingConfig logging;
  /// The daemon's URL as PortOne reaches it (the TLS proxy); the schedules'
  /// notice URLs start with it. Default: http://<http.listen>.
  std::string public_url;
  OutboxConfig outbox;
  RecurringConfig recurring;
  ReconcileConfig reconcile;
  AdminConfig admin;
  std::optional<EventsConfig> events;  // nullopt: no events are posted
};

/// Reads and checks a config file. Relative paths inside it are resolved
/// against the file's directory; `default_plugin_dir` is searched when the
/// config names no plugin directories. Returns nullopt with `problems` filled
/// when anything is wrong.
std::optional<Config> loadConfig(const std::string& path, const std::string& default_plugin_dir,
                                 ConfigProblems& problems);

}  // namespace paymentd::config
