// paymentd/calendar.h: billing periods in Korean calendar months.
//
// Periods are counted in Asia/Seoul local dates (UTC+9 all year: Korea has had
// no daylight saving time since 1988), so a subscription paid at 08:00 KST on
// January 31 renews on the last day of February, not on March 3, and never a
// day early because of the UTC date.
#pragma once

#include <chrono>

#include "paymentd/payment.h"

namespace paymentd {

inline constexpr std::chrono::hours kSeoulOffset{9};

/// `from` plus `months` calendar months in Asia/Seoul; a day past the end of the
/// target month becomes its last day. The time of day is kept.
inline Timestamp addMonths(Timestamp from, int months) {
  using namespace std::chrono;
  const auto local = from + kSeoulOffset;
  const auto day = floor<days>(local);
  const auto time_of_day = local - day;
  year_month_day date{day};
  year_month_day target = date.year() / date.month() / date.day() + std::chrono::months{months};
  if (!target.ok()) target = target.year() / target.month() / last;
  return Timestamp(sys_days(target) + time_of_day - kSeoulOffset);
}

}  // namespace paymentd
