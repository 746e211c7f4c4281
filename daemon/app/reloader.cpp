#include "app/reloader.h"

#include <Poco/Logger.h>

namespace paymentd::app {

Reloader::Reloader(std::string config_path, std::string default_plugin_dir, config::Config running,
                   loader::ActivePlugins& plugins)
    : config_path_(std::move(config_path)),
      default_plugin_dir_(std::move(default_plugin_dir)),
      running_(std::move(running)),
      plugins_(plugins) {}

bool Reloader::reload() {
  Poco::Logger& logger = Poco::Logger::get("reload");
  logger.information("reloading " + config_path_);
  config::ConfigProblems problems;
  auto next = config::loadConfig(config_path_, default_plugin_dir_, problems);
  std::shared_ptr<const loader::PluginSet> set;
  if (next) set = loader::buildPluginSet(next->plugins, problems);
  if (!problems.empty()) {
    for (const auto& line : problems.lines()) logger.error("reload refused: " + line);
    logger.error("reload refused; the running plugins keep serving");
    return false;
  }
  const auto restart_needed = [&](bool changed, const char* what) {
    if (changed) logger.warning(std::string(what) + " changed; it takes effect after a restart");
  };
  restart_needed(next->http.host != running_.http.host || next->http.port != running_.http.port ||
                     next->http.threads != running_.http.threads,
                 "http");
  restart_needed(next->storage != running_.storage, "storage");
  restart_needed(next->lock != running_.lock, "lock");
  restart_needed(next->pipeline.lock_ttl_ms != running_.pipeline.lock_ttl_ms ||
                     next->pipeline.lock_lease_ms != running_.pipeline.lock_lease_ms,
                 "pipeline.lock_ttl_ms/lock_lease_ms");
  restart_needed(next->portone.api_base != running_.portone.api_base ||
                     next->portone.store_id != running_.portone.store_id,
                 "portone");
  if (next->logging.level != running_.logging.level) {
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(next->logging.level));
  }
  plugins_.replace(set);
  for (const auto& line : set->describe()) logger.information("active " + line);
  logger.information("reloaded");
  running_ = std::move(*next);
  return true;
}

}  // namespace paymentd::app
