#include "config/reconcile_config.h"

namespace paymentd::config {
namespace {

void readSweep(MapReader& reconcile, SweepConfig& sweep) {
  YAML::Node node = reconcile.node("sweep", false);
  if (!node.IsDefined()) return;
  MapReader map(node, reconcile.file(), "reconcile.sweep", reconcile.problems());
  if (!map.valid()) return;
  if (auto v = map.boolean("enabled", false)) sweep.enabled = *v;
  const auto read = [&map](const char* key, std::int64_t min, std::int64_t max, int& into) {
    if (auto v = map.integer(key, false, min, max)) into = static_cast<int>(*v);
  };
  read("lookback_s", 60, 30 * 86'400, sweep.lookback_s);
  read("overlap_s", 0, 86'400, sweep.overlap_s);
  read("page_size", 1, 1000, sweep.page_size);
  read("max_per_pass", 1, 100'000, sweep.max_per_pass);
  read("max_resends", 1, 100, sweep.max_resends);
  // A pass reads whole pages, and page n must mean the same payments on every pass.
  if (sweep.max_per_pass < sweep.page_size) {
    map.problems().add(map.markOfKey("max_per_pass"),
                       "reconcile.sweep.max_per_pass must be at least reconcile.sweep.page_size");
  }
  if (sweep.overlap_s >= sweep.lookback_s) {
    map.problems().add(map.markOfKey("overlap_s"),
                       "reconcile.sweep.overlap_s must be less than reconcile.sweep.lookback_s");
  }
  map.finish();
}

}  // namespace

void readReconcile(MapReader& root, ReconcileConfig& reconcile) {
  YAML::Node node = root.node("reconcile", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "reconcile", root.problems());
  if (!map.valid()) return;
  if (auto v = map.integer("interval_s", false, 1, 86'400))
    reconcile.interval_s = static_cast<int>(*v);
  if (auto v = map.integer("grace_s", false, 60, 7 * 86'400))
    reconcile.grace_s = static_cast<int>(*v);
  readSweep(map, reconcile.sweep);
  map.finish();
}

}  // namespace paymentd::config
