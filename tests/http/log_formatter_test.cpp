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

}  // namespace
}  // namespace paymentd::log
