// config/redis_url.h: the `lock:` URL of the Redis lock, parsed.
//
// In config so the config check refuses a URL the start would refuse, without
// depending on the lock room; the names stay in paymentd::lock, which connects.
// A password never goes in the URL (it would sit in the YAML and the logs): it
// comes from `lock_password_file`.
#pragma once

#include <string>

namespace paymentd::lock {

struct RedisTarget {
  std::string host;    // TCP host, empty for a Unix socket
  int port = 6379;     // TCP only
  std::string socket;  // the Unix socket's path, empty for TCP
  int db = 0;
  std::string user;  // an ACL user for `AUTH user password`; empty: `AUTH password`
  std::string display;
};

/// `redis://[user@]host[:port][/db]` or `unix:/path/to/redis.sock[?db=N]`
/// (also `unix:///path...`). Throws std::invalid_argument with a one-line reason.
RedisTarget parseRedisUrl(const std::string& url);

}  // namespace paymentd::lock
