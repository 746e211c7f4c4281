#include "lock/payment_lock.h"

#include <cstdint>
#include <random>
#include <stdexcept>

#include "lock/local_lock.h"
#include "lock/redis_lock.h"

namespace paymentd::lock {

std::string newLeaseToken() {
  // libstdc++'s random_device reads the kernel's CSPRNG (getrandom).
  static thread_local std::random_device device;
  static const char* kHex = "0123456789abcdef";
  std::string token;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t word = device();
    for (int shift = 28; shift >= 0; shift -= 4) token += kHex[(word >> shift) & 0xf];
  }
  return token;
}

std::unique_ptr<PaymentLock> makePaymentLock(const std::string& url, const LockOptions& options) {
  if (url == "local") return std::make_unique<LocalLock>();
  return std::make_unique<RedisLock>(parseRedisUrl(url), options);
}

}  // namespace paymentd::lock
