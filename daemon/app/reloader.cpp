#include "app/reloader.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <tuple>

#include "app/config_changes.h"
#include "config/catalog_file.h"
#include "config/fingerprint.h"
#include "loader/plugin_set.h"
#include "portone/secret_check.h"

namespace paymentd::app {
namespace {

bool samePlans(const std::vector<Plan>& a, const std::vector<Plan>& b) {
  const auto fields = [](const Plan& p) {
    return std::tie(p.id, p.name, p.price, p.months, p.lessons_per_month, p.trial);
  };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](const Plan& x, const Plan& y) { return fields(x) == fields(y); });
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  if (items.empty()) return "-";
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

void addOnce(std::vector<std::string>& keys, const std::string& key) {
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
}

}  // namespace

Reloader::Reloader(std::string config_path, std::string default_plugin_dir, config::Config running,
                   std::vector<Plan> running_plans, Daemon& daemon)
    : config_path_(std::move(config_path)),
      default_plugin_dir_(std::move(default_plugin_dir)),
      running_(std::move(running)),
      running_plans_(std::move(running_plans)),
      daemon_(daemon) {}

std::string Reloader::refuse(const std::vector<std::string>& problems) {
  Poco::Logger& logger = Poco::Logger::get("reload");
  for (const auto& line : problems) logger.error("reload refused: " + line);
  logger.error("reload refused result=refused problems=" + std::to_string(problems.size()) +
               "; the running config keeps serving");
  daemon_.metrics().countConfigReload("refused");
  return "refused";
}

std::string Reloader::reload() {
  Poco::Logger& logger = Poco::Logger::get("reload");
  logger.information("reloading " + config_path_);
  // Everything is read and checked before anything changes.
  config::ConfigProblems problems;
  auto next = config::loadConfig(config_path_, default_plugin_dir_, problems);
  std::shared_ptr<const loader::PluginSet> plugins;
  std::optional<std::vector<Plan>> plans;
  std::shared_ptr<const portone::WebhookVerifier> verifier;
  if (next) {
    plugins = loader::buildPluginSet(next->plugins, problems);
    plans = config::loadPlanCatalog(next->catalog, problems, next->catalog_mark);
    portone::checkSecretFiles(next->portone, problems);  // at their config keys
  }
  std::optional<outbox::EventTarget> events;
  if (next) events = outbox::readEventTarget(next->events, daemon_.clock(), problems);
  if (problems.empty()) {
    try {
      verifier = std::make_shared<const portone::WebhookVerifier>(
          portone::WebhookVerifier::fromSecretFiles(next->portone.webhook_secret_files,
                                                    daemon_.clock()));
    } catch (const std::exception& e) {
      problems.addPlain(config_path_, std::string("portone.webhook_secret_files: ") + e.what());
    }
  }
  if (!problems.empty()) return refuse(problems.lines());

  ConfigChanges changes = compareConfigs(running_, *next);
  // The same file names may hold new contents: a rotated secret, an edited catalog.
  if (!daemon_.verifier()->sameSecrets(*verifier))
    addOnce(changes.applied, "portone.webhook_secret_files");
  if (!daemon_.events().uses(events)) addOnce(changes.applied, "events");
  const bool catalog_changed = !samePlans(running_plans_, *plans);
  if (catalog_changed) addOnce(changes.applied, "catalog");
  for (const auto& key : changes.needs_restart) {
    logger.warning("reload: " + key + " changed; it needs a restart (the running value stays)");
  }

  config::Config effective = keepRestartKeys(running_, std::move(*next));
  // The check loadConfig made against the new lock_ttl_ms, again against the running one.
  if (effective.portone.request_deadline_ms >= effective.pipeline.lock_ttl_ms) {
    return refuse({config_path_ + ": portone.request_deadline_ms (" +
                   std::to_string(effective.portone.request_deadline_ms) +
                   ") must stay under the running pipeline.lock_ttl_ms (" +
                   std::to_string(effective.pipeline.lock_ttl_ms) + ") until a restart"});
  }
  try {
    daemon_.apply(effective, plugins, catalog_changed ? plans : std::nullopt, verifier,
                  std::move(events));
  } catch (const std::exception& e) {
    return refuse({std::string("cannot apply: ") + e.what()});
  }
  if (effective.logging.level != running_.logging.level) {
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(effective.logging.level));
  }
  running_ = std::move(effective);
  running_plans_ = std::move(*plans);

  const std::uint64_t fingerprint = config::configFingerprint(running_);
  daemon_.metrics().setConfigHash(fingerprint);
  const std::string result = changes.needs_restart.empty() ? "applied" : "restart_needed";
  daemon_.metrics().countConfigReload(result);
  logger.information("reloaded result=" + result + " applied=" + joined(changes.applied, ",") +
                     " needs_restart=" + joined(changes.needs_restart, ",") +
                     " config_hash=" + config::hexFingerprint(fingerprint) + " plugins=[" +
                     joined(plugins->describe(), "; ") + "]");
  return result;
}

}  // namespace paymentd::app
