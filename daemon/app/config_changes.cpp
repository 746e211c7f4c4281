#include "app/config_changes.h"

#include <functional>
#include <tuple>

namespace paymentd::app {
namespace {

// Marks (file:line:column) are left out: moving an entry changes nothing.
bool sameEntry(const config::PluginEntry& a, const config::PluginEntry& b) {
  return a.plugin == b.plugin && a.config == b.config;
}

bool sameRollout(const config::RolloutEntry& a, const config::RolloutEntry& b) {
  if (!sameEntry(a.entry, b.entry) || a.enabled != b.enabled) return false;
  if (a.canary.has_value() != b.canary.has_value()) return false;
  return !a.canary ||
         (sameEntry(a.canary->entry, b.canary->entry) && a.canary->percent == b.canary->percent &&
          a.canary->users == b.canary->users);
}

template <typename Map>
bool sameRolloutMap(const Map& a, const Map& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
    if (i->first != j->first || !sameRollout(i->second, j->second)) return false;
  }
  return true;
}

bool samePlugins(const config::PluginsConfig& a, const config::PluginsConfig& b) {
  if (a.directories != b.directories || a.payment_types != b.payment_types) return false;
  if (a.validators.size() != b.validators.size()) return false;
  for (std::size_t i = 0; i < a.validators.size(); ++i) {
    if (!sameRollout(a.validators[i], b.validators[i])) return false;
  }
  return sameRolloutMap(a.processors, b.processors) && sameRolloutMap(a.notifiers, b.notifiers);
}

enum class Takes { kNow = 1, kRestart };

struct Key {
  const char* name;
  Takes takes;
  std::function<bool(const config::Config&, const config::Config&)> differs;
  std::function<void(const config::Config&, config::Config&)> keep;  // running -> next
};

// A key read through `field`, a generic lambda returning a reference into a Config.
template <typename Field>
Key key(const char* name, Takes takes, Field field) {
  return Key{
      name, takes,
      [field](const config::Config& a, const config::Config& b) { return field(a) != field(b); },
      [field](const config::Config& from, config::Config& to) { field(to) = field(from); }};
}

const std::vector<Key>& keys() {
  using C = config::Config;
  static const std::vector<Key> all = {
      // Taken at once.
      Key{"plugins", Takes::kNow,
          [](const C& a, const C& b) { return !samePlugins(a.plugins, b.plugins); },
          [](const C&, C&) {}},
      key(
          "recurring.retry_hour", Takes::kNow,
          [](auto& c) -> auto& { return c.recurring.retry_hour; }),
      key(
          "recurring.alimtalk_until", Takes::kNow,
          [](auto& c) -> auto& { return c.recurring.alimtalk_until; }),
      key(
          "recurring.sms_until", Takes::kNow,
          [](auto& c) -> auto& { return c.recurring.sms_until; }),
      key(
          "recurring.max_failures", Takes::kNow,
          [](auto& c) -> auto& { return c.recurring.max_failures; }),
      key(
          "recurring.alimtalk_channel", Takes::kNow,
          [](auto& c) -> auto& { return c.recurring.alimtalk_channel; }),
      key(
          "recurring.sms_channel", Takes::kNow,
          [](auto& c) -> auto& { return c.recurring.sms_channel; }),
      key(
          "recurring.hard_decline_codes", Takes::kNow,
          [](auto& c) -> auto& { return c.recurring.hard_decline_codes; }),
      key(
          "portone.require_live", Takes::kNow,
          [](auto& c) -> auto& { return c.portone.require_live; }),
      key(
          "portone.webhook_secret_files", Takes::kNow,
          [](auto& c) -> auto& { return c.portone.webhook_secret_files; }),
      key(
          "portone.connect_timeout_ms", Takes::kNow,
          [](auto& c) -> auto& { return c.portone.connect_timeout_ms; }),
      key(
          "portone.read_timeout_ms", Takes::kNow,
          [](auto& c) -> auto& { return c.portone.read_timeout_ms; }),
      key(
          "portone.request_deadline_ms", Takes::kNow,
          [](auto& c) -> auto& { return c.portone.request_deadline_ms; }),
      key(
          "catalog", Takes::kNow, [](auto& c) -> auto& { return c.catalog; }),
      key(
          "logging.level", Takes::kNow, [](auto& c) -> auto& { return c.logging.level; }),
      key(
          "pipeline.admin_channel", Takes::kNow,
          [](auto& c) -> auto& { return c.pipeline.admin_channel; }),
      key(
          "outbox.poll_interval_ms", Takes::kNow,
          [](auto& c) -> auto& { return c.outbox.poll_interval_ms; }),
      key(
          "outbox.batch_size", Takes::kNow, [](auto& c) -> auto& { return c.outbox.batch_size; }),
      key(
          "outbox.lease_s", Takes::kNow, [](auto& c) -> auto& { return c.outbox.lease_s; }),
      key(
          "outbox.max_attempts", Takes::kNow,
          [](auto& c) -> auto& { return c.outbox.max_attempts; }),
      key(
          "outbox.backoff_base_ms", Takes::kNow,
          [](auto& c) -> auto& { return c.outbox.backoff_base_ms; }),
      key(
          "outbox.backoff_max_ms", Takes::kNow,
          [](auto& c) -> auto& { return c.outbox.backoff_max_ms; }),
      key(
          "outbox.notice_grace_s", Takes::kNow,
          [](auto& c) -> auto& { return c.outbox.notice_grace_s; }),
      key(
          "reconcile.interval_s", Takes::kNow,
          [](auto& c) -> auto& { return c.reconcile.interval_s; }),
      key(
          "reconcile.grace_s", Takes::kNow, [](auto& c) -> auto& { return c.reconcile.grace_s; }),
      key(
          "reconcile.sweep.enabled", Takes::kNow,
          [](auto& c) -> auto& { return c.reconcile.sweep.enabled; }),
      key(
          "reconcile.sweep.lookback_s", Takes::kNow,
          [](auto& c) -> auto& { return c.reconcile.sweep.lookback_s; }),
      key(
          "reconcile.sweep.overlap_s", Takes::kNow,
          [](auto& c) -> auto& { return c.reconcile.sweep.overlap_s; }),
      key(
          "reconcile.sweep.page_size", Takes::kNow,
          [](auto& c) -> auto& { return c.reconcile.sweep.page_size; }),
      key(
          "reconcile.sweep.max_per_pass", Takes::kNow,
          [](auto& c) -> auto& { return c.reconcile.sweep.max_per_pass; }),
      key(
          "reconcile.sweep.max_resends", Takes::kNow,
          [](auto& c) -> auto& { return c.reconcile.sweep.max_resends; }),
      // Read once, by what was built at the start.
      Key{"http.listen", Takes::kRestart,
          [](const C& a, const C& b) {
            return std::tie(a.http.host, a.http.port) != std::tie(b.http.host, b.http.port);
          },
          [](const C& from, C& to) {
            to.http.host = from.http.host;
            to.http.port = from.http.port;
          }},
      key(
          "http.threads", Takes::kRestart, [](auto& c) -> auto& { return c.http.threads; }),
      key(
          "http.max_connections", Takes::kRestart,
          [](auto& c) -> auto& { return c.http.max_connections; }),
      key(
          "http.header_timeout_ms", Takes::kRestart,
          [](auto& c) -> auto& { return c.http.header_timeout_ms; }),
      key(
          "http.body_timeout_ms", Takes::kRestart,
          [](auto& c) -> auto& { return c.http.body_timeout_ms; }),
      key(
          "http.max_body_bytes", Takes::kRestart,
          [](auto& c) -> auto& { return c.http.max_body_bytes; }),
      key(
          "http.keep_alive_timeout_s", Takes::kRestart,
          [](auto& c) -> auto& { return c.http.keep_alive_timeout_s; }),
      key(
          "http.drain_timeout_s", Takes::kRestart,
          [](auto& c) -> auto& { return c.http.drain_timeout_s; }),
      key(
          "storage", Takes::kRestart, [](auto& c) -> auto& { return c.storage; }),
      key(
          "storage_password_file", Takes::kRestart,
          [](auto& c) -> auto& { return c.storage_password_file; }),
      key(
          "storage_pool_size", Takes::kRestart,
          [](auto& c) -> auto& { return c.storage_pool_size; }),
      key(
          "lock", Takes::kRestart, [](auto& c) -> auto& { return c.lock; }),
      key(
          "lock_password_file", Takes::kRestart,
          [](auto& c) -> auto& { return c.lock_password_file; }),
      key(
          "pipeline.lock_ttl_ms", Takes::kRestart,
          [](auto& c) -> auto& { return c.pipeline.lock_ttl_ms; }),
      key(
          "pipeline.lock_lease_ms", Takes::kRestart,
          [](auto& c) -> auto& { return c.pipeline.lock_lease_ms; }),
      key(
          "portone.api_base", Takes::kRestart, [](auto& c) -> auto& { return c.portone.api_base; }),
      key(
          "portone.store_id", Takes::kRestart, [](auto& c) -> auto& { return c.portone.store_id; }),
      key(
          "portone.api_secret_file", Takes::kRestart,
          [](auto& c) -> auto& { return c.portone.api_secret_file; }),
      key(
          "public_url", Takes::kRestart, [](auto& c) -> auto& { return c.public_url; }),
      key(
          "recurring.payment_type", Takes::kRestart,
          [](auto& c) -> auto& { return c.recurring.payment_type; }),
      key(
          "admin.enabled", Takes::kRestart, [](auto& c) -> auto& { return c.admin.enabled; }),
      Key{"admin.listen", Takes::kRestart,
          [](const C& a, const C& b) {
            return std::tie(a.admin.host, a.admin.port) != std::tie(b.admin.host, b.admin.port);
          },
          [](const C& from, C& to) {
            to.admin.host = from.admin.host;
            to.admin.port = from.admin.port;
          }},
      key(
          "admin.token_file", Takes::kRestart, [](auto& c) -> auto& { return c.admin.token_file; }),
      key(
          "logging.format", Takes::kRestart, [](auto& c) -> auto& { return c.logging.format; }),
  };
  return all;
}

}  // namespace

ConfigChanges compareConfigs(const config::Config& running, const config::Config& next) {
  ConfigChanges changes;
  for (const Key& k : keys()) {
    if (!k.differs(running, next)) continue;
    (k.takes == Takes::kNow ? changes.applied : changes.needs_restart).push_back(k.name);
  }
  return changes;
}

config::Config keepRestartKeys(const config::Config& running, config::Config next) {
  for (const Key& k : keys()) {
    if (k.takes == Takes::kRestart) k.keep(running, next);
  }
  return next;
}

}  // namespace paymentd::app
