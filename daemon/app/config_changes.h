// app/config_changes.h: what a reload changes, key by key, and which of those
// changes a running daemon can take.
//
// A key is live when every object that reads it takes a fresh snapshot per
// request, call or pass (the plugin set, PortOne's timeouts, the payment service's, the outbox
// worker's and the reconciler's options, the webhook verifier, the catalog in the database, the log
// level); every other key needs a restart, and a reload keeps its running value.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace paymentd::app {

struct ConfigChanges {
  std::vector<std::string> applied;        // dotted keys, e.g. recurring.max_failures
  std::vector<std::string> needs_restart;  // e.g. http.listen, storage
};

/// Every key whose value differs between the two configs, live or not.
ConfigChanges compareConfigs(const config::Config& running, const config::Config& next);

/// `next` with every key that needs a restart put back to its running value.
config::Config keepRestartKeys(const config::Config& running, config::Config next);

}  // namespace paymentd::app
