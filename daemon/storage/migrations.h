// storage/migrations.h: the numbered schema migrations, applied at start-up.
//
// Both backends share each migration's SQL; the few type spellings that must
// differ are tokens replaced per backend. Applied versions are recorded in
// `schema_migrations`; all pending ones run in one transaction, under a lock,
// so two daemons starting together cannot both apply them.
#pragma once

#include <cstdint>
#include <limits>

#include "storage/database.h"

namespace paymentd::storage {

struct MigrationReport {
  std::int64_t from = 0;  // 0: an empty database
  std::int64_t to = 0;
};

/// The highest version this build knows.
std::int64_t latestSchemaVersion();

/// Applies every pending migration up to `up_to` (tests build older schemas
/// with it). Throws SchemaTooNew (one line) when the database holds a version
/// this build does not know, Transient/Error otherwise.
MigrationReport migrate(Database& database,
                        std::int64_t up_to = std::numeric_limits<std::int64_t>::max());

}  // namespace paymentd::storage
