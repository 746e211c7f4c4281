// What a payment id may be (portone/payment_id.h), as the webhook route and the
// check API ask it of any bytes: never a crash, and "yes" only for 1-238
// visible ASCII characters without / " or \.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "portone/payment_id.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view id(reinterpret_cast<const char*>(data), size);
  if (!paymentd::portone::isPaymentId(id)) return 0;
  if (id.empty() || id.size() > 238) std::abort();
  for (const char c : id) {
    if (c <= ' ' || c > '~' || c == '/' || c == '"' || c == '\\') std::abort();
  }
  return 0;
}
