// portone/json_integer.h: a JSON number read as an exact 64-bit integer.
//
// Amounts are money: a value that is not a whole number in int64's range
// (a fraction, 1e300, 2^64-1, true, "1000") must be refused, not rounded,
// wrapped or thrown from deep inside Poco's conversions.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstdint>
#include <optional>

namespace paymentd::portone {

/// The integer `value` holds exactly (an integral double such as 1000.0
/// included); nullopt for anything else, booleans and strings among them.
std::optional<std::int64_t> exactInteger(const Poco::Dynamic::Var& value);

}  // namespace paymentd::portone
