// Log lines: one event per line, text (key=value) or JSON, with the payment's context.
#include "log/log_formatter.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace paymentd::log {
namespace {

Poco::Message paymentMessage() {
  Poco::Message message("pipeline", "rejected: AMOUNT_MISMATCH: paid \"50000\"",
                        Poco::Message::PRIO_WARNING);
  message.set("payment_id", "pay-1");
  message.set("stage", "validator:amount@1.0.0");
  message.set("plugin", "amount@1.0.0");
  return message;
}

TEST(LogFormatter, WritesTextAsKeyValueWithThePaymentsContext) {
  LogFormatter formatter(config::LogFormat::kText);
  std::string line;
  formatter.format(paymentMessage(), line);
  const std::string after_time = line.substr(line.find(' ') + 1);
  EXPECT_EQ(after_time,
            "level=warning logger=pipeline payment_id=pay-1 stage=validator:amount@1.0.0 "
            "plugin=amount@1.0.0 msg=\"rejected: AMOUNT_MISMATCH: paid \\\"50000\\\"\"");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LogFormatter, WritesJsonLinesThatParse) {
  LogFormatter formatter(config::LogFormat::kJson);
  std::string line;
  formatter.format(paymentMessage(), line);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  Poco::JSON::Parser parser;
  auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(object->getValue<std::string>("level"), "warning");
  EXPECT_EQ(object->getValue<std::string>("payment_id"), "pay-1");
  EXPECT_EQ(object->getValue<std::string>("stage"), "validator:amount@1.0.0");
  EXPECT_EQ(object->getValue<std::string>("plugin"), "amount@1.0.0");
  EXPECT_EQ(object->getValue<std::string>("msg"), "rejected: AMOUNT_MISMATCH: paid \"50000\"");
  EXPECT_TRUE(object->has("time"));
}

TEST(LogFormatter, WritesDurationAsANumberInJson) {
  LogFormatter formatter(config::LogFormat::kJson);
  Poco::Message message("pipeline", "fulfilled", Poco::Message::PRIO_INFORMATION);
  message.set("duration_ms", "12.5");
  std::string line;
  formatter.format(message, line);
  EXPECT_NE(line.find("\"duration_ms\":12.5,"), std::string::npos) << line;
}

// Under systemd the journal reads "<N>" as the line's priority: errors are found by
// `journalctl -p err`, in both formats, and the JSON after the prefix is still whole.
TEST(LogFormatter, StartsEachLineWithItsSyslogPriorityForTheJournal) {
  LogFormatter json(config::LogFormat::kJson, true);
  std::string line;
  json.format(Poco::Message("paymentd", "storage: down", Poco::Message::PRIO_ERROR), line);
  ASSERT_EQ(line.substr(0, 3), "<3>");
  Poco::JSON::Parser parser;
  EXPECT_EQ(
      parser.parse(line.substr(3)).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("msg"),
      "storage: down");
  LogFormatter text(config::LogFormat::kText, true);
  for (const auto& [priority, expected] :
       std::vector<std::pair<Poco::Message::Priority, std::string>>{
           {Poco::Message::PRIO_FATAL, "<2>"},
           {Poco::Message::PRIO_WARNING, "<4>"},
           {Poco::Message::PRIO_NOTICE, "<5>"},
           {Poco::Message::PRIO_INFORMATION, "<6>"},
           {Poco::Message::PRIO_DEBUG, "<7>"}}) {
    text.format(Poco::Message("paymentd", "x", priority), line);
    EXPECT_EQ(line.substr(0, 3), expected) << line;
  }
  LogFormatter plain(config::LogFormat::kText);
  plain.format(Poco::Message("paymentd", "x", Poco::Message::PRIO_ERROR), line);
  EXPECT_NE(line.front(), '<') << "no prefix off the journal: " << line;
}

// What a client sent, as a request line and a payment id could carry it: a forged second
// line, a terminal escape, DEL, a C1 control and bytes that are not UTF-8.
Poco::Message hostileMessage() {
  Poco::Message message(
      "http", "unhandled error in /x?a=1\r\n2026-01-01 level=error\x1b[2J\x7f\xc2\x9b\xff\xc3",
      Poco::Message::PRIO_ERROR);
  message.set("payment_id", "p\n1\\");
  return message;
}

bool hasControlOrNonAscii(const std::string& line) {
  for (unsigned char c : line) {
    if (c < 0x20 || c >= 0x7f) return true;
  }
  return false;
}

TEST(LogFormatter, EscapesControlBytesAndInvalidUtf8InText) {
  LogFormatter formatter(config::LogFormat::kText);
  std::string line;
  formatter.format(hostileMessage(), line);
  EXPECT_FALSE(hasControlOrNonAscii(line)) << line;
  const std::string after_time = line.substr(line.find(' ') + 1);
  EXPECT_EQ(after_time,
            "level=error logger=http payment_id=\"p\\n1\\\\\" msg=\"unhandled error in "
            "/x?a=1\\r\\n2026-01-01 level=error\\x1B[2J\\x7F\\u009B\\xFF\\xC3\"");
}

TEST(LogFormatter, KeepsValidUtf8ReadableInText) {
  LogFormatter formatter(config::LogFormat::kText);
  std::string line;
  formatter.format(Poco::Message("portone", "거절: 한도 초과", Poco::Message::PRIO_WARNING), line);
  EXPECT_EQ(line.substr(line.find(' ') + 1),
            "level=warning logger=portone msg=\"거절: 한도 초과\"");
}

TEST(LogFormatter, WritesHostileTextAsOneAsciiJsonLine) {
  LogFormatter formatter(config::LogFormat::kJson);
  std::string line;
  formatter.format(hostileMessage(), line);
  EXPECT_FALSE(hasControlOrNonAscii(line)) << line;
  Poco::JSON::Parser parser;
  auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
  // JSON's own escapes carry CR, LF and ESC exactly; DEL, C1 and the bytes that are not
  // UTF-8 are spelt out.
  EXPECT_EQ(object->getValue<std::string>("msg"),
            "unhandled error in /x?a=1\r\n2026-01-01 level=error\x1b[2J\\x7F\\u009B\\xFF\\xC3");
  EXPECT_EQ(object->getValue<std::string>("payment_id"), "p\n1\\");
}

}  // namespace
}  // namespace paymentd::log
