// log/log_escape.h: makes text a client sent safe to put on a log line.
//
// A CR or LF from a request would forge a second event, an ESC would drive the operator's
// terminal, and bytes that are not UTF-8 break log shippers. Valid UTF-8 stays readable.
#pragma once

#include <string>
#include <string_view>

namespace paymentd::log {

/// For the text format: `\` and `"` get a backslash, LF, CR and TAB become `\n`, `\r`,
/// `\t`, other control characters `\xNN` (C0, DEL) or `\u00NN` (C1), and each byte that is
/// not part of a valid UTF-8 character `\xNN`.
std::string escapeText(std::string_view value);

/// For the JSON format, whose writer escapes C0 controls, `\` and `"` itself: DEL and C1
/// controls become the text `\xNN` and `\u00NN`, each byte that is not part of a valid UTF-8
/// character the text `\xNN`; everything else (`/`, Hangul) stays as it is, greppable.
std::string escapeForJson(std::string_view value);

}  // namespace paymentd::log
