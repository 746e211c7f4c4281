#include "lock/local_lock.h"

namespace paymentd::lock {

AcquireResult LocalLock::acquire(const std::string& key, std::chrono::milliseconds ttl) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> guard(mutex_);
  // Expired holders are dropped lazily; the map holds at most the keys in flight.
  for (auto it = holders_.begin(); it != holders_.end();) {
    it = it->second.expires <= now ? holders_.erase(it) : std::next(it);
  }
  if (holders_.count(key) != 0) return AcquireResult{AcquireStatus::kHeld, std::nullopt, ""};
  Lease lease{key, newLeaseToken(), nullptr};  // a live holder here never loses its key
  holders_[key] = Holder{lease.token, now + ttl};
  return AcquireResult{AcquireStatus::kAcquired, lease, ""};
}

void LocalLock::release(const Lease& lease) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = holders_.find(lease.key);
  if (it != holders_.end() && it->second.token == lease.token) holders_.erase(it);
}

}  // namespace paymentd::lock
