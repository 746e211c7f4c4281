// lock/payment_lock.h: one worker per payment at a time, across daemons.
//
// The lock only saves work: the database's unique constraints are what
// guarantee one fulfilment per payment. So when the lock store cannot answer,
// the caller must not proceed without it (answer 503), and a lease that
// expires while its holder still works is harmless to correctness.
//
// A holder that dies (SIGKILL) cannot release: its keys must free themselves
// soon, or every redelivery of its payments is refused 409 until they do. So a
// shared lock keeps each key only for a short lease and renews it while the
// holder lives; a dead holder's key is free within one lease.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace paymentd::lock {

/// Proof of holding a key; release() frees the key only for the same token.
struct Lease {
  std::string key;
  std::string token;
  /// Set when a renewal found the key gone or another's: another worker may now
  /// run this payment too. Null for a lock that never loses a live holder's key.
  std::shared_ptr<std::atomic<bool>> lost_flag;

  bool lost() const { return lost_flag != nullptr && lost_flag->load(); }
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
  /// Never blocks longer than the lock store's command timeout. A live holder
  /// keeps the key for at most `ttl`; a dead one frees it within the lease.
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
  /// True once the key was found gone or taken while held.
  bool lost() const { return lease_.lost(); }

 private:
  PaymentLock& lock_;
  Lease lease_;
};

struct LockOptions {
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};
  /// How long a shared key outlives its holder's last renewal; renewed every
  /// lease/3 while held. A dead holder's payments are locked for at most this.
  std::chrono::milliseconds lease{5000};
  /// Redis: sent with AUTH on every new connection (from lock_password_file). Never logged.
  std::optional<std::string> password;
};

/// "local" (this process only), "redis://[user@]host:port/db" or "unix:/path[?db=N]".
/// @throws std::invalid_argument for any other URL.
std::unique_ptr<PaymentLock> makePaymentLock(const std::string& url, const LockOptions& options);

/// A random 128-bit token, hex.
std::string newLeaseToken();

}  // namespace paymentd::lock
