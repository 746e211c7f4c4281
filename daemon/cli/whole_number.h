// cli/whole_number.h: a command-line argument read as a whole number (ids, KRW amounts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace paymentd::cli {

/// `text` as a number when it is 1 to `max_digits` ASCII digits (no sign, no spaces);
/// nullopt otherwise. `max_digits` is at most 18, so the value always fits.
std::optional<std::int64_t> parseWholeNumber(const std::string& text, std::size_t max_digits);

}  // namespace paymentd::cli
