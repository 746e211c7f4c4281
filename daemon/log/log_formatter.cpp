#include "log/log_formatter.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

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
  const std::string time =
      Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ");
  if (format_ == config::LogFormat::kJson) {
    Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
    line.set("time", time);
    line.set("level", levelName(message.getPriority()));
    line.set("logger", escapeForJson(message.getSource()));
    for (const char* field : kLogFields) {
      if (message.has(field)) line.set(field, escapeForJson(message.get(field)));
    }
    line.set("msg", escapeForJson(message.getText()));
    std::ostringstream out;
    line.stringify(out);
    text = out.str();
    return;
  }
  text = time + " level=" + levelName(message.getPriority()) +
         " logger=" + textValue(message.getSource());
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
