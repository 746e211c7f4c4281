// app/reloader.h: SIGHUP: read the config again, apply what can change while
// running, and say what waits for a restart.
//
// Everything is read and checked beside the running daemon first: the config,
// the plugin set, the catalog and the webhook secret files. Any problem refuses
// the reload whole, and the running config keeps serving. Otherwise every live
// key is applied (app/config_changes.h), each key that needs a restart is
// logged by name and keeps its running value, and the outcome is one log line
// and paymentd_config_reloads_total{result}.
#pragma once

#include <string>
#include <vector>

#include "app/daemon.h"
#include "config/config.h"
#include "paymentd/store.h"

namespace paymentd::app {

class Reloader {
 public:
  Reloader(std::string config_path, std::string default_plugin_dir, config::Config running,
           std::vector<Plan> running_plans, Daemon& daemon);

  /// @return applied, restart_needed or refused (the metric's label).
  std::string reload();

 private:
  std::string refuse(const std::vector<std::string>& problems);

  std::string config_path_;
  std::string default_plugin_dir_;
  config::Config running_;
  std::vector<Plan> running_plans_;
  Daemon& daemon_;
};

}  // namespace paymentd::app
