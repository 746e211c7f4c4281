// log_notifier.cpp: a notifier that writes each notice as one line to stderr,
// so the embedded default shows notices without a Slack or Kakao account.
// A subscriber's phone number appears masked (paymentd::maskPhone).
//
// `format: json` writes each notice as one JSON object, for a daemon whose
// `logging.format` is json: then every line of its output is one JSON object.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "paymentd/plugin.h"

namespace {

// A JSON string literal. Written here because the SDK is standard-library-only and a
// notice's fields are short strings: quotes, backslashes and control bytes are escaped.
std::string jsonString(const std::string& value) {
  std::string out = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Now as the host's JSON lines write it: 2026-11-24T10:00:00.123Z.
std::string utcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(millis));
  return out;
}

// Text mode keeps a value on its line: a CR or LF in a field would start a forged line.
std::string oneLine(std::string value) {
  for (char& c : value) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return value;
}

class LogNotifier final : public paymentd::Notifier {
 public:
  explicit LogNotifier(const paymentd::PluginConfig& config)
      : prefix_(config.getString("prefix", "notice")),
        json_(parseFormat(config.getString("format", "text"))) {}

  paymentd::Outcome send(const paymentd::Notification& notification) const override {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"channel", notification.channel},
        {"template", notification.template_code},
        {"payment_id", notification.payment_id}};
    if (notification.recipient_phone) {
      fields.emplace_back("to", paymentd::maskPhone(*notification.recipient_phone));
    }
    for (const auto& [key, value] : notification.fields) fields.emplace_back(key, value);
    const std::string line = (json_ ? jsonLine(fields) : textLine(fields)) + "\n";
    // One fputs per line; the lock keeps lines from interleaving across threads.
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::fputs(line.c_str(), stderr) < 0) {
      return paymentd::Outcome::transient("LOG_WRITE_FAILED", "cannot write to stderr");
    }
    return paymentd::Outcome::ok();
  }

 private:
  static bool parseFormat(const std::string& format) {
    if (format == "json") return true;
    if (format == "text") return false;
    throw std::invalid_argument("config key 'format': '" + format + "' is not text or json");
  }

  std::string textLine(const std::vector<std::pair<std::string, std::string>>& fields) const {
    std::string line = prefix_;
    for (const auto& [key, value] : fields) line += " " + key + "=" + oneLine(value);
    return line;
  }

  std::string jsonLine(const std::vector<std::pair<std::string, std::string>>& fields) const {
    std::string line =
        "{\"time\":" + jsonString(utcNow()) +
        ",\"level\":\"info\",\"logger\":\"notifier.log\",\"msg\":" + jsonString(prefix_);
    for (const auto& [key, value] : fields) line += "," + jsonString(key) + ":" + jsonString(value);
    return line + "}";
  }

  std::string prefix_;
  bool json_;
  mutable std::mutex mutex_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"prefix", paymentd::ConfigKey::kOptional, "first word of each line (default: notice)"},
    {"format", paymentd::ConfigKey::kOptional,
     "text (key=value, the default) or json (one object per line); match logging.format"},
};

}  // namespace

PAYMENTD_PLUGIN(LogNotifier, {.name = "log",
                              .version = "1.2.0",
                              .description = "Writes each notice as one line to stderr",
                              .config_keys = kConfigKeys})
