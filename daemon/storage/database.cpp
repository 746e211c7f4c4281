#include "storage/database.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>

#include <filesystem>
#include <mutex>

namespace paymentd::storage {
namespace {

void registerConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

// Poco takes whole seconds; round up so a short timeout never becomes zero.
std::size_t seconds(std::chrono::milliseconds ms) {
  return static_cast<std::size_t>((ms.count() + 999) / 1000);
}

Poco::Data::Session connectSqlite(const DatabaseTarget& target, const DatabaseOptions& options) {
  // SQLite retries an unopenable path for the whole login timeout: check first.
  const auto dir = std::filesystem::path(target.connection).parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error("cannot open " + target.display + ": directory " + dir.string() +
                " does not exist");
  }
  try {
    Poco::Data::Session session(target.connector, target.connection, 2);
    session.setConnectionTimeout(seconds(options.sqlite_busy_timeout));
    using Poco::Data::Keywords::now;
    const std::string busy = std::to_string(options.sqlite_busy_timeout.count());
    session << "PRAGMA busy_timeout = " + busy, now;
    session << "PRAGMA journal_mode = WAL", now;
    session << "PRAGMA synchronous = NORMAL", now;  // WAL + NORMAL: durable across process crashes
    session << "PRAGMA foreign_keys = ON", now;
    return session;
  } catch (const Poco::Exception& e) {
    raise(classify(e, Backend::kSqlite));
  }
}

Poco::Data::Session connectPostgres(const DatabaseTarget& target) {
  try {
    return Poco::Data::Session(target.connector, target.connection, 2);
  } catch (const Poco::Exception& e) {
    Classified classified = classify(e, Backend::kPostgres);
    // A refused or failed connect is an outage unless the server said otherwise.
    if (classified.kind == Classified::Kind::kOther) classified.kind = Classified::Kind::kTransient;
    raise(classified);
  }
}

}  // namespace

Database::Database(DatabaseTarget target, DatabaseOptions options)
    : target_(std::move(target)), options_(std::move(options)) {
  registerConnectors();
  pool_ = ConnectionPool::create(target_.backend, options_.pool_size, options_.pool_wait, [this]() {
    return target_.backend == Backend::kSqlite ? connectSqlite(target_, options_)
                                               : connectPostgres(target_);
  });
}

std::shared_ptr<Database> Database::open(const std::string& url, DatabaseOptions options) {
  DatabaseTarget target = parseDatabaseUrl(url, options.password);
  std::shared_ptr<Database> database(new Database(std::move(target), std::move(options)));
  database->ping();
  return database;
}

void Database::ping() {
  withConnection(
      [](Connection& connection) {
        Poco::Int64 one = 0;
        connection.run("SELECT 1",
                       [&](Poco::Data::Statement& s) { s, Poco::Data::Keywords::into(one); });
        if (one != 1) throw Error("SELECT 1 returned " + std::to_string(one));
      },
      true);
}

}  // namespace paymentd::storage
