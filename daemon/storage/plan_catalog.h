// storage/plan_catalog.h: syncs the plans of the `catalog:` file (read by
// config/catalog_file.h) into the database at start-up.
//
// Sync rules: upsert by id; a plan no longer listed is deleted when nothing
// references it, else kept and marked retired; a changed price applies to
// payments validated from now on (paid amounts are recorded with each payment).
#pragma once

#include <vector>

#include "paymentd/store.h"
#include "storage/database.h"

namespace paymentd::storage {

struct CatalogSyncReport {
  std::size_t upserted = 0;
  std::size_t retired = 0;  // no longer listed, still referenced by subscriptions
  std::size_t deleted = 0;
};

/// One transaction. Throws storage exceptions.
CatalogSyncReport syncPlanCatalog(Database& database, const std::vector<Plan>& plans);

}  // namespace paymentd::storage
