#include "log/log_escape.h"

#include <Poco/NumberFormatter.h>
#include <Poco/UTF8Encoding.h>

namespace paymentd::log {
namespace {

// Calls on_character(code point, its bytes) for each valid UTF-8 character of `value` and
// on_bad_byte(byte) for each byte that does not start one (overlong forms, surrogates and
// truncated sequences included).
template <typename OnCharacter, typename OnBadByte>
void forEachCharacter(std::string_view value, OnCharacter on_character, OnBadByte on_bad_byte) {
  static const Poco::UTF8Encoding utf8;
  const auto& lead = utf8.characterMap();  // >= 0: the ASCII character, -n: an n-byte lead
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
  std::size_t at = 0;
  while (at < value.size()) {
    const int kind = lead[bytes[at]];
    const std::size_t length = kind >= 0 ? 1 : static_cast<std::size_t>(-kind);
    if (kind == -1 || at + length > value.size() ||
        !Poco::UTF8Encoding::isLegal(bytes + at, static_cast<int>(length))) {
      on_bad_byte(bytes[at]);
      ++at;
      continue;
    }
    on_character(kind >= 0 ? kind : utf8.convert(bytes + at), value.substr(at, length));
    at += length;
  }
}

std::string byteEscape(int byte) {
  return "\\x" + Poco::NumberFormatter::formatHex(byte, 2);
}

// DEL and the C1 controls (U+0080..U+009F, CSI among them), which terminals act on.
bool deleteOrC1(int character) {
  return character == 0x7f || (character >= 0x80 && character < 0xa0);
}

std::string controlEscape(int character) {
  return character < 0x80 ? byteEscape(character)
                          : "\\u00" + Poco::NumberFormatter::formatHex(character, 2);
}

}  // namespace

std::string escapeText(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  forEachCharacter(
      value,
      [&out](int character, std::string_view bytes) {
        switch (character) {
          case '\\':
            out += "\\\\";
            return;
          case '"':
            out += "\\\"";
            return;
          case '\n':
            out += "\\n";
            return;
          case '\r':
            out += "\\r";
            return;
          case '\t':
            out += "\\t";
            return;
        }
        if (character < 0x20 || deleteOrC1(character)) {
          out += controlEscape(character);
        } else {
          out += bytes;
        }
      },
      [&out](unsigned char byte) { out += byteEscape(byte); });
  return out;
}

std::string escapeForJson(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  forEachCharacter(
      value,
      [&out](int character, std::string_view bytes) {
        if (deleteOrC1(character)) {
          out += controlEscape(character);
        } else {
          out += bytes;
        }
      },
      [&out](unsigned char byte) { out += byteEscape(byte); });
  return out;
}

}  // namespace paymentd::log
