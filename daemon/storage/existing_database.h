// storage/existing_database.h: the database a read-only command (trace,
// outbox list) looks at, opened without creating or migrating anything.
//
// Opening a SQLite path creates the file and migrate() writes the schema, so a
// mistyped path or a command run before the first start would leave an empty
// paymentd database behind; these commands refuse instead.
#pragma once

#include <memory>

#include "config/config.h"
#include "storage/database.h"
#include "storage/errors.h"

namespace paymentd::storage {

/// There is no paymentd database where the config points, or its schema is not
/// this build's (the daemon's start migrates it).
class NoDatabase : public Error {
 public:
  using Error::Error;
};

/// Opens the configured database when it exists and holds this build's schema.
/// Throws NoDatabase ("no paymentd database at ..."), SchemaTooNew, Transient/Error.
std::shared_ptr<Database> openExistingDatabase(const config::Config& config);

}  // namespace paymentd::storage
