#include "cli/whole_number.h"

#include <algorithm>

namespace paymentd::cli {

std::optional<std::int64_t> parseWholeNumber(const std::string& text, std::size_t max_digits) {
  constexpr std::size_t kFitsInt64 = 18;
  if (text.empty() || text.size() > std::min(max_digits, kFitsInt64) ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

}  // namespace paymentd::cli
