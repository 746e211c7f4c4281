#include "portone/payment_id.h"

#include <algorithm>

namespace paymentd::portone {

bool isPaymentId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxPaymentIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return c > 0x20 && c < 0x7f && c != '/' && c != '"' && c != '\\';
         });
}

}  // namespace paymentd::portone
