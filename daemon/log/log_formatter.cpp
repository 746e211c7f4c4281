#include "log/log_formatter.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "log/log_escape.h"

namespace paymentd::log {
namespace {

const char* levelName(Poco::Message::Priority priority) {
  switch (priority) {
    case Poco::Message::PRIO_FATAL:
      return "fatal";
    case Poco::Message::PRIO_CRITICAL:
      return "critical";
    case Poco::Message::PRIO_ERROR:
      return "error";
    case Poco::Message::PRIO_WARNING:
      return "warning";
    case Poco::Message::PRIO_NOTICE:
      return "notice";
    case Poco::Message::PRIO_INFORMATION:
      return "info";
    case Poco::Message::PRIO_DEBUG:
      return "debug";
    case Poco::Message::PRIO_TRACE:
      return "trace";
  }
  return "info";
}

// syslog(3)'s numbers, which journald's SyslogLevelPrefix= reads.
int syslogPriority(Poco::Message::Priority priority) {
  switch (priority) {
    case Poco::Message::PRIO_FATAL:
    case Poco::Message::PRIO_CRITICAL:
      return 2;
    case Poco::Message::PRIO_ERROR:
      return 3;
    case Poco::Message::PRIO_WARNING:
      return 4;
    case Poco::Message::PRIO_NOTICE:
      return 5;
    case Poco::Message::PRIO_INFORMATION:
      return 6;
    case Poco::Message::PRIO_DEBUG:
    case Poco::Message::PRIO_TRACE:
      return 7;
  }
  return 6;
}

// A number stays a number for log shippers; anything else stays text.
Poco::Dynamic::Var jsonValue(const char* field, const std::string& value) {
  if (std::string(field) == "duration_ms") {
    try {
      std::size_t used = 0;
      const double number = std::stod(value, &used);
      if (used == value.size()) return number;
    } catch (const std::exception&) {
    }
  }
  return escapeForJson(value);
}

// Quotes a text value when it is empty or has spaces, '=' or anything escaped, so lines
// split on spaces and nothing a client sent can end the line or reach the terminal raw.
std::string textValue(const std::string& value) {
  const std::string escaped = escapeText(value);
  if (!value.empty() && escaped == value && value.find_first_of(" =") == std::string::npos) {
    return value;
  }
  return "\"" + escaped + "\"";
}

}  // namespace

void LogFormatter::format(const Poco::Message& message, std::string& text) {
  const std::string prefix =
      priority_prefix_ ? "<" + std::to_string(syslogPriority(message.getPriority())) + ">" : "";
  const std::string time =
      Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ");
  if (format_ == config::LogFormat::kJson) {
    Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
    line.set("time", time);
    line.set("level", levelName(message.getPriority()));
    line.set("logger", escapeForJson(message.getSource()));
    for (const char* field : kLogFields) {
      if (message.has(field)) line.set(field, jsonValue(field, message.get(field)));
    }
    line.set("msg", escapeForJson(message.getText()));
    std::ostringstream out;
    line.stringify(out);
    text = prefix + out.str();
    return;
  }
  text = prefix + time + " level=" + levelName(message.getPriority()) +
         " logger=" + textValue(message.getSource());
  for (const char* field : kLogFields) {
    if (message.has(field)) text += std::string(" ") + field + "=" + textValue(message.get(field));
  }
  text += " msg=" + textValue(message.getText());
}

bool stderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  struct stat info {};
  if (::fstat(STDERR_FILENO, &info) != 0) return false;
  // "DEVICE:INODE"; a child whose stderr was redirected inherits the variable, not the stream.
  return std::string(stream) == std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

void setUpLogging(config::LogFormat format, const std::string& level) {
  Poco::AutoPtr<Poco::Channel> console(new Poco::ConsoleChannel);  // writes to std::clog
  Poco::AutoPtr<Poco::Formatter> formatter(new LogFormatter(format, stderrIsJournal()));
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, console));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::root().setLevel(level);
  // Loggers created before this call (Poco's own, our early ones) follow the root.
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

}  // namespace paymentd::log
