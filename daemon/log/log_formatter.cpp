#include "log/log_formatter.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <sstream>

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

// Quotes a text value when it has spaces, quotes or is empty, so lines split on spaces.
std::string textValue(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \"=\n\t") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

void LogFormatter::format(const Poco::Message& message, std::string& text) {
  const std::string time =
      Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ");
  if (format_ == config::LogFormat::kJson) {
    Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
    line.set("time", time);
    line.set("level", levelName(message.getPriority()));
    line.set("logger", message.getSource());
    for (const char* field : kLogFields) {
      if (message.has(field)) line.set(field, message.get(field));
    }
    line.set("msg", message.getText());
    std::ostringstream out;
    line.stringify(out);
    text = out.str();
    return;
  }
  text = time + " level=" + levelName(message.getPriority()) + " logger=" + message.getSource();
  for (const char* field : kLogFields) {
    if (message.has(field)) text += std::string(" ") + field + "=" + textValue(message.get(field));
  }
  text += " msg=" + textValue(message.getText());
}

void setUpLogging(config::LogFormat format, const std::string& level) {
  Poco::AutoPtr<Poco::Channel> console(new Poco::ConsoleChannel);  // writes to std::clog
  Poco::AutoPtr<Poco::Formatter> formatter(new LogFormatter(format));
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, console));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::root().setLevel(level);
  // Loggers created before this call (Poco's own, our early ones) follow the root.
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

}  // namespace paymentd::log
