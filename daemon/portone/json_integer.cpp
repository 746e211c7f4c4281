#include "portone/json_integer.h"

#include <cmath>
#include <limits>

namespace paymentd::portone {

std::optional<std::int64_t> exactInteger(const Poco::Dynamic::Var& value) {
  // Poco counts a bool as an integer; JSON does not.
  if (value.isEmpty() || value.isBoolean() || !value.isNumeric()) return std::nullopt;
  if (value.isInteger()) {
    if (value.isSigned()) return value.convert<std::int64_t>();
    const auto unsigned_value = value.convert<std::uint64_t>();
    if (unsigned_value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(unsigned_value);
  }
  const double number = value.convert<double>();
  // [-2^63, 2^63): both bounds are exact doubles, so the cast below is defined.
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (!std::isfinite(number) || number != std::trunc(number) || number < -kTwoTo63 ||
      number >= kTwoTo63)
    return std::nullopt;
  return static_cast<std::int64_t>(number);
}

}  // namespace paymentd::portone
