// lock/local_lock.h: the in-process lock, for a single daemon.
#pragma once

#include <mutex>
#include <unordered_map>

#include "lock/payment_lock.h"

namespace paymentd::lock {

class LocalLock final : public PaymentLock {
 public:
  AcquireResult acquire(const std::string& key, std::chrono::milliseconds ttl) override;
  void release(const Lease& lease) override;
  std::optional<std::string> unavailableReason() override { return std::nullopt; }

 private:
  struct Holder {
    std::string token;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Holder> holders_;
};

}  // namespace paymentd::lock
