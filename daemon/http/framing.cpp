#include "http/framing.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace paymentd::http {
namespace {

const std::string kContentLength = "Content-Length";
const std::string kTransferEncoding = "Transfer-Encoding";
constexpr std::size_t kMaxLengthDigits = 18;  // fits std::int64_t

// tchar of RFC 9110 5.6.2.
bool isToken(std::string_view name) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](unsigned char c) {
    return std::isalnum(c) != 0 || kSymbols.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

std::vector<std::string> valuesOf(const HeaderFields& fields, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [field, value] : fields) {
    if (Poco::icompare(field, name) == 0) values.push_back(Poco::trim(value));
  }
  return values;
}

// 1*DIGIT, and not so long that it overflows; leading zeros name the same length.
std::optional<std::string> lengthValue(const std::string& value) {
  if (value.empty() || !std::all_of(value.begin(), value.end(),
                                    [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;
  }
  const std::size_t first = std::min(value.find_first_not_of('0'), value.size() - 1);
  if (value.size() - first > kMaxLengthDigits) return std::nullopt;
  return value.substr(first);
}

std::optional<std::string> contentLengthProblem(const std::vector<std::string>& values) {
  std::optional<std::string> length;
  for (const auto& value : values) {
    const auto parsed = lengthValue(value);
    if (!parsed) return "Content-Length is not a number of bytes";
    if (length && *length != *parsed) return "Content-Length is repeated with another value";
    length = parsed;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> framingProblem(const HeaderFields& fields, bool http_1_0) {
  for (const auto& [name, value] : fields) {
    if (!isToken(name)) return "a header field name is not a token";
  }
  const auto lengths = valuesOf(fields, kContentLength);
  const auto encodings = valuesOf(fields, kTransferEncoding);
  if (!encodings.empty()) {
    if (http_1_0) {
      return "Transfer-Encoding in an HTTP/1.0 request";
    }
    if (!lengths.empty()) return "both Transfer-Encoding and Content-Length";
    // Transfer codings are case-insensitive; anything but one plain "chunked" we cannot frame.
    if (encodings.size() != 1 || Poco::icompare(encodings.front(), "chunked") != 0) {
      return "Transfer-Encoding other than chunked";
    }
    return std::nullopt;
  }
  return contentLengthProblem(lengths);
}

}  // namespace paymentd::http
