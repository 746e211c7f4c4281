// lock/payment_lock.h: one worker per payment at a time, across daemons.
//
// The lock only saves work: the database's unique constraints are what
// guarantee one fulfilment per payment. So when the lock store cannot answer,
// the caller must not proceed without it (answer 503), and a lease that
// expires while its holder still works is harmless to correctness.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace paymentd::lock {

/// Proof of holding a key; release() frees the key only for the same token.
struct Lease {
  std::string key;
  std::string token;
};

enum class AcquireStatus {
  kAcquired = 1,  // `lease` is set
  kHeld,          // another worker holds the key: answer 409 ALREADY_PROCESSING
  kUnavailable,   // the lock store did not answer (or not in time): answer 503
};

struct AcquireResult {
  AcquireStatus status;
  std::optional<Lease> lease;
  std::string error;  // for kUnavailable: why, without secrets
};

class PaymentLock {
 public:
  virtual ~PaymentLock() = default;
  /// Never blocks longer than the lock store's command timeout.
  virtual AcquireResult acquire(const std::string& key, std::chrono::milliseconds ttl) = 0;
  /// Frees the key if `lease` still holds it; a late holder never frees a
  /// successor's lease. Failures are ignored: the lease expires by itself.
  virtual void release(const Lease& lease) = 0;
  /// For /readyz: nullopt when the lock store answers, else why not.
  virtual std::optional<std::string> unavailableReason() = 0;
};

/// Releases on scope exit.
class LeaseGuard {
 public:
  LeaseGuard(PaymentLock& lock, Lease lease) : lock_(lock), lease_(std::move(lease)) {}
  ~LeaseGuard() { lock_.release(lease_); }
  LeaseGuard(const LeaseGuard&) = delete;
  LeaseGuard& operator=(const LeaseGuard&) = delete;

 private:
  PaymentLock& lock_;
  Lease lease_;
};

struct LockOptions {
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};
};

/// "local" (this process only) or "redis://host:port/db".
/// @throws std::invalid_argument for any other URL.
std::unique_ptr<PaymentLock> makePaymentLock(const std::string& url, const LockOptions& options);

/// A random 128-bit token, hex.
std::string newLeaseToken();

}  // namespace paymentd::lock
