#include "config/database_url.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace paymentd::storage {
namespace {

constexpr int kConnectTimeoutS = 2;  // Poco creates sessions under the pool's lock: keep it short

struct OptionsDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

// Poco splits on spaces and writes values back unquoted; libpq would then read a
// quote or backslash as syntax, and an empty value as the start of the next pair.
bool pocoCanCarry(const std::string& value) {
  for (const char c : value) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == '\'' || c == '\\') return false;
  }
  return !value.empty();
}

// The raw password text of the URL (userinfo or ?password=), so that a libpq
// error quoting part of the URL never carries it into a log.
std::vector<std::string> rawPasswords(const std::string& url) {
  std::vector<std::string> out;
  const auto scheme = url.find("://");
  const std::string rest = scheme == std::string::npos ? url : url.substr(scheme + 3);
  const auto end = rest.find_first_of("/?");
  const std::string authority = rest.substr(0, end);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    if (const auto colon = userinfo.find(':'); colon != std::string::npos) {
      out.push_back(userinfo.substr(colon + 1));
    }
  }
  for (auto pos = url.find("password="); pos != std::string::npos;
       pos = url.find("password=", pos + 1)) {
    const auto start = pos + 9;
    out.push_back(url.substr(start, url.find('&', start) - start));
  }
  return out;
}

std::string scrub(std::string message, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = message.find(secret); pos != std::string::npos;
         pos = message.find(secret, pos)) {
      message.replace(pos, secret.size(), "***");
    }
  }
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())) != 0) {
    message.pop_back();
  }
  return message;
}

// The URL as written, minus the password in the userinfo and any password= parameter.
std::string displayOf(const std::string& url) {
  const auto scheme = url.find("://") + 3;
  const auto end = url.find_first_of("/?", scheme);
  std::string authority = url.substr(scheme, end == std::string::npos ? end : end - scheme);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    if (const auto colon = authority.find(':'); colon < at) authority.erase(colon, at - colon);
  }
  std::string tail = end == std::string::npos ? "" : url.substr(end);
  const auto query = tail.find('?');
  if (query != std::string::npos) {
    std::string kept;
    std::size_t start = query + 1;
    while (start <= tail.size()) {
      const auto amp = std::min(tail.find('&', start), tail.size());
      const std::string item = tail.substr(start, amp - start);
      if (!item.empty() && item.rfind("password=", 0) != 0)
        kept += (kept.empty() ? "" : "&") + item;
      start = amp + 1;
    }
    tail = tail.substr(0, query) + (kept.empty() ? "" : "?" + kept);
  }
  return url.substr(0, scheme) + authority + tail;
}

DatabaseTarget parsePostgres(const std::string& url,
                             const std::optional<std::string>& password_file) {
  char* raw_error = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsDeleter> options(
      PQconninfoParse(url.c_str(), &raw_error));
  if (!options) {
    std::string reason = raw_error != nullptr ? raw_error : "out of memory";
    PQfreemem(raw_error);
    throw std::invalid_argument("the storage URL is not one libpq accepts: " +
                                scrub(reason, rawPasswords(url)));
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  std::optional<std::string> pass;
  bool has_timeout = false;
  bool has_application = false;
  bool has_options = false;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr || *option->val == '\0') continue;
    const std::string keyword = option->keyword;
    const std::string value = option->val;
    if (keyword == "password") {
      pass = value;
      continue;
    }
    if (!pocoCanCarry(value)) {
      throw std::invalid_argument("the storage URL's " + keyword +
                                  " must not contain spaces, quotes or backslashes");
    }
    has_timeout = has_timeout || keyword == "connect_timeout";
    has_application = has_application || keyword == "application_name";
    has_options = has_options || keyword == "options";
    pairs.emplace_back(keyword, value);
  }
  if (password_file) pass = password_file;
  if (pass && !pass->empty() && !pocoCanCarry(*pass)) {
    throw std::invalid_argument(
        "the storage password must not contain spaces, quotes or backslashes");
  }
  if (!has_timeout) pairs.emplace_back("connect_timeout", std::to_string(kConnectTimeoutS));
  if (!has_application) pairs.emplace_back("application_name", "paymentd");
  if (!has_options) pairs.emplace_back("options", "-cclient_min_messages=warning");

  DatabaseTarget target;
  target.backend = Backend::kPostgres;
  target.connector = "PostgreSQL";
  for (const auto& [keyword, value] : pairs) {
    target.connection += (target.connection.empty() ? "" : " ") + keyword + "=" + value;
  }
  if (pass && !pass->empty()) target.connection += " password=" + *pass;
  target.display = displayOf(url);
  return target;
}

}  // namespace

bool isPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

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
  if (isPostgresUrl(url)) return parsePostgres(url, password);
  throw std::invalid_argument("storage must be sqlite:PATH or postgresql://user@host:port/db");
}

}  // namespace paymentd::storage
