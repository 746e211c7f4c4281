#include "storage/existing_database.h"

#include <filesystem>

#include "storage/migrations.h"
#include "storage/storage_config.h"

namespace paymentd::storage {
namespace {

std::int64_t queryCount(Database& database, const std::string& sql) {
  return database.withConnection(
      [&](Connection& connection) {
        Poco::Int64 count = 0;
        connection.run(sql,
                       [&](Poco::Data::Statement& s) { s, Poco::Data::Keywords::into(count); });
        return static_cast<std::int64_t>(count);
      },
      true);
}

}  // namespace

std::shared_ptr<Database> openExistingDatabase(const config::Config& config) {
  const DatabaseTarget target = parseDatabaseUrl(config.storage, std::nullopt);
  if (target.backend == Backend::kSqlite && !std::filesystem::exists(target.connection)) {
    throw NoDatabase("no paymentd database at " + target.display + " (no such file)");
  }
  auto database = Database::open(config.storage, databaseOptions(config));
  const std::string has_table =
      database->backend() == Backend::kSqlite
          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
            "'schema_migrations'"
          : "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND "
            "tablename = 'schema_migrations'";
  if (queryCount(*database, has_table) == 0) {
    throw NoDatabase("no paymentd database at " + database->display() +
                     " (no schema: the daemon creates it at its first start)");
  }
  const std::int64_t version =
      queryCount(*database, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (version > latestSchemaVersion()) {
    throw SchemaTooNew("database " + database->display() + " has schema version " +
                       std::to_string(version) + ", newer than this paymentd knows (" +
                       std::to_string(latestSchemaVersion()) + ")");
  }
  if (version < latestSchemaVersion()) {
    throw NoDatabase("the paymentd database at " + database->display() + " has schema version " +
                     std::to_string(version) + ", older than this paymentd's " +
                     std::to_string(latestSchemaVersion()) +
                     ": start the new daemon once (it migrates), then run this again");
  }
  return database;
}

}  // namespace paymentd::storage
