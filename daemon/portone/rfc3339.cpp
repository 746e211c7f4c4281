#include "portone/rfc3339.h"

#include <cstdio>

namespace paymentd::portone {
namespace {

// Reads exactly `width` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool at(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parseRfc3339(std::string_view text) {
  using namespace std::chrono;
  const auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  const auto h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || !at(text, 4, '-') || !at(text, 7, '-') ||
      !(at(text, 10, 'T') || at(text, 10, 't') || at(text, 10, ' ')) || !at(text, 13, ':') ||
      !at(text, 16, ':') || *h > 23 || *mi > 59 || *s > 60) {
    return std::nullopt;
  }
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                            day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  std::size_t pos = 19;
  microseconds fraction{0};
  if (at(text, pos, '.')) {
    ++pos;
    const std::size_t start = pos;
    std::int64_t micros = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start < 6) micros = micros * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (std::size_t n = pos - start; n < 6; ++n) micros *= 10;
    fraction = microseconds(micros);
  }
  minutes offset{0};
  if (at(text, pos, 'Z') || at(text, pos, 'z')) {
    ++pos;
  } else if (at(text, pos, '+') || at(text, pos, '-')) {
    const auto oh = digits(text, pos + 1, 2), om = digits(text, pos + 4, 2);
    if (!oh || !om || !at(text, pos + 3, ':')) return std::nullopt;
    offset = minutes(*oh * 60 + *om);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  // In microseconds first (years 0-9999 fit easily), then only what the
  // clock's nanoseconds can hold (1677-09-21 to 2262-04-11): converting more
  // would overflow.
  const microseconds since_epoch = sys_days(date).time_since_epoch() + hours(*h) + minutes(*mi) +
                                   seconds(*s) + fraction - offset;
  using Clock = system_clock;
  if (since_epoch > floor<microseconds>(Clock::duration::max()) ||
      since_epoch < ceil<microseconds>(Clock::duration::min())) {
    return std::nullopt;
  }
  return Clock::time_point(duration_cast<Clock::duration>(since_epoch));
}

std::string formatRfc3339(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(time);
  const auto days = floor<std::chrono::days>(millis);
  const year_month_day date{days};
  const hh_mm_ss clock{millis - days};
  char buffer[40];
  std::snprintf(
      buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
  return buffer;
}

}  // namespace paymentd::portone
