// lock/redis_lock.h: the lock shared by every daemon, in Redis.
//
// Acquire is `SET key token NX PX ttl`; release is a Lua compare-and-delete,
// so a holder whose lease expired never frees its successor's. hiredis
// contexts are not thread-safe and are dead after any error, so a small pool
// hands each call its own context and drops a context that failed; the next
// call reconnects (which is also how a Redis restart is survived).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "lock/payment_lock.h"

struct redisContext;

namespace paymentd::lock {

class RedisLock final : public PaymentLock {
 public:
  RedisLock(std::string host, int port, int db, LockOptions options);
  ~RedisLock() override;

  AcquireResult acquire(const std::string& key, std::chrono::milliseconds ttl) override;
  void release(const Lease& lease) override;
  std::optional<std::string> unavailableReason() override;

 private:
  // A pooled connection, or the error that prevented one.
  redisContext* take(std::string& error);
  void giveBack(redisContext* context, bool healthy);

  std::string host_;
  int port_;
  int db_;
  LockOptions options_;
  std::mutex mutex_;
  std::vector<redisContext*> idle_;
};

/// "redis://host:port/db" -> parts; @throws std::invalid_argument.
void parseRedisUrl(const std::string& url, std::string& host, int& port, int& db);

}  // namespace paymentd::lock
