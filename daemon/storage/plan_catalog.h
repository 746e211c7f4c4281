// storage/plan_catalog.h: the `catalog:` file of plans, read strictly and
// synced into the database at start-up.
//
// Sync rules: upsert by id; a plan no longer listed is deleted when nothing
// references it, else kept and marked retired; a changed price applies to
// payments validated from now on (paid amounts are recorded with each payment).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config_problems.h"
#include "paymentd/store.h"
#include "storage/database.h"

namespace paymentd::storage {

/// Reads the catalog; on any problem records `file:line:column: message` lines
/// in `problems` and returns nullopt. Touches no database.
std::optional<std::vector<Plan>> loadPlanCatalog(const std::string& path,
                                                 config::ConfigProblems& problems);

struct CatalogSyncReport {
  std::size_t upserted = 0;
  std::size_t retired = 0;  // no longer listed, still referenced by subscriptions
  std::size_t deleted = 0;
};

/// One transaction. Throws storage exceptions.
CatalogSyncReport syncPlanCatalog(Database& database, const std::vector<Plan>& plans);

}  // namespace paymentd::storage
