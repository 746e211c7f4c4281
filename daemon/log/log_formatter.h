// log/log_formatter.h: one event per line on stderr, as text (key=value) or JSON.
//
// Text:  2026-11-24T10:00:00.123Z level=info logger=http payment_id=p-1 msg="listening"
// JSON:  {"time":"...","level":"info","logger":"http","payment_id":"p-1","msg":"listening"}
// Context travels in Poco::Message parameters named in kLogFields, so every
// line about a payment carries payment_id, stage and plugin where they apply;
// in JSON, duration_ms is a number.
//
// Under systemd (stderr is the journal's stream) each line starts with its
// syslog priority, "<3>" for an error, which journald strips and records, so
// `journalctl -p err -u paymentd` shows the errors.
#pragma once

#include <Poco/Formatter.h>
#include <Poco/Message.h>

#include <array>
#include <string>

#include "config/config.h"

namespace paymentd::log {

/// The parameters the formatter prints, in this order, when a message has them.
inline constexpr std::array<const char*, 7> kLogFields = {
    "payment_id", "stage", "plugin", "outcome", "code", "source", "duration_ms"};

class LogFormatter : public Poco::Formatter {
 public:
  explicit LogFormatter(config::LogFormat format, bool priority_prefix = false)
      : format_(format), priority_prefix_(priority_prefix) {}
  void format(const Poco::Message& message, std::string& text) override;

 private:
  config::LogFormat format_;
  bool priority_prefix_;  // "<N>" first: the journal reads it as the line's priority
};

/// True when stderr is the journal's stream (JOURNAL_STREAM names its device and inode).
bool stderrIsJournal();

/// Sends the root logger to stderr with this format and level name, with priority
/// prefixes when stderr is the journal.
void setUpLogging(config::LogFormat format, const std::string& level);

}  // namespace paymentd::log
