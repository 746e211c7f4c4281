// config/database_url.h: turns the `storage:` URL into what Poco Data needs.
//
// Poco's PostgreSQL connector splits its connection string on single spaces and
// takes no URIs, so the URL is rebuilt as key=value pairs here, with values
// that cannot be expressed refused instead of mangled.
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

/// Parses `sqlite:/abs/path` or `postgresql://user[:password]@host[:port]/db`.
/// `password` (read from a file) overrides one in the URL. Throws
/// std::invalid_argument with a one-line reason.
DatabaseTarget parseDatabaseUrl(const std::string& url, const std::optional<std::string>& password);

}  // namespace paymentd::storage
