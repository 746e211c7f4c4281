// config/reconcile_config.h: the `reconcile:` section, with its `sweep:` map.
#pragma once

#include "config/config.h"
#include "config/yaml_reader.h"

namespace paymentd::config {

/// Reads `reconcile:` (interval_s, grace_s, sweep: {enabled, lookback_s, overlap_s,
/// page_size, max_per_pass, max_resends}); each bad value is a problem at its key.
void readReconcile(MapReader& root, ReconcileConfig& reconcile);

}  // namespace paymentd::config
