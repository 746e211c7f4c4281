#include "config/database_url.h"

#include <cctype>
#include <stdexcept>

namespace paymentd::storage {
namespace {

constexpr int kConnectTimeoutS = 2;  // Poco creates sessions under the pool's lock: keep it short

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(const std::string& text, const std::string& what) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int hi = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
    const int lo = hi >= 0 ? hexValue(text[i + 2]) : -1;
    if (lo < 0) throw std::invalid_argument("bad %-escape in the " + what + " of the storage URL");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Poco splits on spaces and libpq would need quoting for the rest.
void requirePlain(const std::string& value, const std::string& what) {
  for (const char c : value) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == '\'' || c == '\\') {
      throw std::invalid_argument(
          "the " + what + " of the storage URL must not contain spaces, quotes or backslashes");
    }
  }
}

DatabaseTarget parsePostgres(const std::string& url,
                             const std::optional<std::string>& password_file) {
  const std::string rest = url.substr(std::string("postgresql://").size());
  const auto slash = rest.find('/');
  const auto at = rest.rfind('@', slash);
  if (slash == std::string::npos || at == std::string::npos) {
    throw std::invalid_argument("storage must be postgresql://user[:password]@host[:port]/db");
  }
  const std::string userinfo = rest.substr(0, at);
  const std::string hostport = rest.substr(at + 1, slash - at - 1);
  const std::string db = percentDecode(rest.substr(slash + 1), "database name");
  if (db.empty() || db.find_first_of("?#/") != std::string::npos) {
    throw std::invalid_argument("the storage URL must end in /DATABASE with no parameters");
  }
  const auto colon = userinfo.find(':');
  const std::string user = percentDecode(userinfo.substr(0, colon), "user");
  std::optional<std::string> pass;
  if (colon != std::string::npos) pass = percentDecode(userinfo.substr(colon + 1), "password");
  if (password_file) pass = password_file;
  if (user.empty()) throw std::invalid_argument("the storage URL must name a user");

  std::string host = hostport;
  std::string port = "5432";
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string::npos) throw std::invalid_argument("bad IPv6 host in the storage URL");
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else if (const auto c = host.rfind(':'); c != std::string::npos) {
    port = host.substr(c + 1);
    host = host.substr(0, c);
  }
  if (host.empty()) throw std::invalid_argument("the storage URL must name a host");
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
      std::stoi(port) > 65535) {
    throw std::invalid_argument("the storage URL's port must be 1-65535");
  }
  requirePlain(host, "host");
  requirePlain(user, "user");
  requirePlain(db, "database name");
  if (pass) requirePlain(*pass, "password");

  DatabaseTarget target;
  target.backend = Backend::kPostgres;
  target.connector = "PostgreSQL";
  target.connection = "host=" + host + " port=" + port + " dbname=" + db + " user=" + user +
                      " connect_timeout=" + std::to_string(kConnectTimeoutS) +
                      " application_name=paymentd options=-cclient_min_messages=warning";
  if (pass && !pass->empty()) target.connection += " password=" + *pass;
  target.display = "postgresql://" + userinfo.substr(0, colon) + "@" + hostport + "/" + db;
  return target;
}

}  // namespace

DatabaseTarget parseDatabaseUrl(const std::string& url,
                                const std::optional<std::string>& password) {
  if (url.rfind("sqlite:", 0) == 0) {
    const std::string path = url.substr(7);
    if (path.empty() || path.front() != '/') {
      throw std::invalid_argument("storage sqlite: needs an absolute file path");
    }
    DatabaseTarget target;
    target.backend = Backend::kSqlite;
    target.connector = "SQLite";
    target.connection = path;
    target.display = url;
    return target;
  }
  if (url.rfind("postgresql://", 0) == 0) return parsePostgres(url, password);
  throw std::invalid_argument("storage must be sqlite:PATH or postgresql://user@host:port/db");
}

}  // namespace paymentd::storage
