// storage/time_codec.h: how times are stored: BIGINT microseconds since the
// Unix epoch, UTC, on both backends (see docs/schema.md for why not timestamps).
#pragma once

#include <Poco/Types.h>

#include <chrono>

#include "paymentd/payment.h"

namespace paymentd::storage {

inline Poco::Int64 toMicros(Timestamp time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

inline Timestamp fromMicros(Poco::Int64 micros) {
  return Timestamp(
      std::chrono::duration_cast<Timestamp::duration>(std::chrono::microseconds(micros)));
}

}  // namespace paymentd::storage
