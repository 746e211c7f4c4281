// config/catalog_file.h: reads the `catalog:` file of plans, strictly.
//
// Here with the rest of the YAML reading, so storage parses no YAML: it only
// syncs the plans read here into the database (storage/plan_catalog.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config_problems.h"
#include "paymentd/store.h"

namespace paymentd::config {

/// Reads the catalog; on any problem records `file:line:column: message` lines
/// in `problems` and returns nullopt. Touches no database. A catalog that cannot be read
/// (missing, not a regular file, over config::kMaxConfigFileBytes) is reported at
/// `named_at`, the config's `catalog:` key, when given.
std::optional<std::vector<Plan>> loadPlanCatalog(const std::string& path, ConfigProblems& problems,
                                                 const std::optional<SourceMark>& named_at = {});

}  // namespace paymentd::config
