// config/database_url.h: turns the `storage:` URL into what Poco Data needs.
//
// libpq parses the URL (PQconninfoParse: postgres:// and postgresql://, every
// parameter, Unix-socket hosts), so whatever libpq accepts is passed through.
// Poco's PostgreSQL connector then splits the connection string on single
// spaces and writes each pair back unquoted, so a value with a space, quote or
// backslash cannot reach libpq intact: such a value is refused, never mangled.
//
// In config so the config check can validate the URL without depending on
// storage; the names stay in paymentd::storage, which opens what they describe.
#pragma once

#include <optional>
#include <string>

namespace paymentd::storage {

enum class Backend { kSqlite = 1, kPostgres };

struct DatabaseTarget {
  Backend backend = Backend::kSqlite;
  std::string connector;   // Poco connector name: "SQLite" or "PostgreSQL"
  std::string connection;  // what Poco opens; may hold a password: never log it
  std::string display;     // the URL without its password, for logs
};

/// True when `url` names PostgreSQL (postgresql:// or postgres://).
bool isPostgresUrl(const std::string& url);

/// Parses `sqlite:/abs/path` or a libpq URL (`postgresql://[user[:password]@]
/// [host][:port][/db][?param=value&...]`). `password` (read from a file)
/// overrides one in the URL. Throws std::invalid_argument with a one-line
/// reason that never holds the password.
DatabaseTarget parseDatabaseUrl(const std::string& url, const std::optional<std::string>& password);

}  // namespace paymentd::storage
