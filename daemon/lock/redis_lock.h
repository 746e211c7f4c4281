// lock/redis_lock.h: the lock shared by every daemon, in Redis.
//
// Acquire is `SET key token NX PX ttl`; release is a Lua compare-and-delete,
// so a holder whose lease expired never frees its successor's. hiredis
// contexts are not thread-safe and are dead after any error, so a small pool
// hands each call its own context and drops a context that failed; the next
// call reconnects (which is also how a Redis restart is survived).
//
// The key's PX is only the lease (LockOptions::lease), so a SIGKILLed holder's
// key frees itself within it. One heartbeat thread per lock renews every held
// lease each lease/3, with a Lua compare-and-extend: a renewal that finds
// another token (or none) extends nothing and marks the lease lost. Renewal
// stops at acquire + ttl, so a live holder keeps a key for at most its ttl.
// Destroying the lock without release() is how a test plays a dead daemon.
//
// Each new connection sends AUTH (LockOptions::password) and SELECT before it
// is used; hiredis 0.14 has no TLS, so a TLS hop is a local proxy's job.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/redis_url.h"
#include "lock/payment_lock.h"

struct redisContext;

namespace paymentd::lock {

class RedisLock final : public PaymentLock {
 public:
  RedisLock(RedisTarget target, LockOptions options);
  ~RedisLock() override;

  AcquireResult acquire(const std::string& key, std::chrono::milliseconds ttl) override;
  void release(const Lease& lease) override;
  std::optional<std::string> unavailableReason() override;

 private:
  // A pooled connection, or the error that prevented one.
  redisContext* take(std::string& error);
  void giveBack(redisContext* context, bool healthy);
  void heartbeat();
  void renewHeld();

  struct Held {
    std::string key;
    std::chrono::steady_clock::time_point deadline;  // acquire + ttl
    std::shared_ptr<std::atomic<bool>> lost;
  };

  redisContext* connect(std::string& error) const;

  RedisTarget target_;
  LockOptions options_;
  std::mutex mutex_;
  std::vector<redisContext*> idle_;

  std::mutex held_mutex_;  // guards held_ and stopping_
  std::condition_variable wake_;
  std::map<std::string, Held> held_;  // by token: the leases to renew
  bool stopping_ = false;
  std::thread heartbeat_;  // last: starts after the members it reads
};

}  // namespace paymentd::lock
