#include "config/redis_url.h"

#include <optional>
#include <stdexcept>

namespace paymentd::lock {
namespace {

int parseNumber(const std::string& text, int min, int max, const std::string& what) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw std::invalid_argument("bad " + what + " in the lock URL");
  }
  const int value = std::stoi(text);
  if (value < min || value > max) throw std::invalid_argument("bad " + what + " in the lock URL");
  return value;
}

RedisTarget parseUnix(const std::string& url) {
  RedisTarget target;
  std::string rest = url.substr(5);
  if (rest.rfind("//", 0) == 0) rest = rest.substr(2);
  if (const auto query = rest.find('?'); query != std::string::npos) {
    const std::string params = rest.substr(query + 1);
    rest = rest.substr(0, query);
    if (params.rfind("db=", 0) != 0) {
      throw std::invalid_argument("the lock URL unix:PATH takes only ?db=N");
    }
    target.db = parseNumber(params.substr(3), 0, 1'000'000, "database");
  }
  if (rest.empty() || rest.front() != '/') {
    throw std::invalid_argument("the lock URL unix:PATH needs an absolute socket path");
  }
  target.socket = rest;
  target.display = "unix:" + rest + (target.db != 0 ? "?db=" + std::to_string(target.db) : "");
  return target;
}

RedisTarget parseTcp(const std::string& url) {
  RedisTarget target;
  std::string rest = url.substr(8);
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    const std::string db_text = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db_text.empty()) target.db = parseNumber(db_text, 0, 1'000'000, "database");
  }
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string userinfo = rest.substr(0, at);
    if (userinfo.find(':') != std::string::npos) {
      throw std::invalid_argument(
          "the lock URL must not hold a password: put it in the file lock_password_file names");
    }
    target.user = userinfo;
    rest = rest.substr(at + 1);
  }
  std::optional<std::string> port_text;  // set when the URL has a ':' for a port
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos) throw std::invalid_argument("bad IPv6 host in the lock URL");
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') throw std::invalid_argument("bad host in the lock URL");
      port_text = rest.substr(close + 2);
    }
    target.host = rest.substr(1, close - 1);
  } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
    port_text = rest.substr(colon + 1);
    target.host = rest.substr(0, colon);
  } else {
    target.host = rest;
  }
  if (port_text) target.port = parseNumber(*port_text, 1, 65535, "port");
  if (target.host.empty()) throw std::invalid_argument("no host in the lock URL");
  target.display = "redis://" + (target.user.empty() ? "" : target.user + "@") + rest + "/" +
                   std::to_string(target.db);
  return target;
}

}  // namespace

RedisTarget parseRedisUrl(const std::string& url) {
  if (url.rfind("redis://", 0) == 0) return parseTcp(url);
  if (url.rfind("unix:", 0) == 0) return parseUnix(url);
  throw std::invalid_argument("the lock URL must be redis://host:port/db or unix:/path/redis.sock");
}

}  // namespace paymentd::lock
