// The log notifier: one line per notice on stderr, with the subscriber's phone
// number masked by the SDK's maskPhone().
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

TEST(LogNotifier, WritesOneLineWithTheRecipientMasked) {
  auto notifier = createPlugin<Notifier>({{"prefix", "demo-notice"}});
  Notification notice;
  notice.channel = "alimtalk";
  notice.template_code = "PAYMENT_FAILED_RETRY";
  notice.payment_id = "paymentd-sub7-c1-a1";
  notice.fields = {{"retry_date", "2026-12-26 10:00"}};
  notice.recipient_phone = "01012345678";
  ::testing::internal::CaptureStderr();
  const Outcome outcome = notifier->send(notice);
  const std::string line = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(outcome.isOk());
  EXPECT_EQ(line,
            "demo-notice channel=alimtalk template=PAYMENT_FAILED_RETRY "
            "payment_id=paymentd-sub7-c1-a1 to=010****5678 retry_date=2026-12-26 10:00\n");
}

// With `format: json` a notice is one JSON object on one line: a daemon logging JSON
// writes nothing else. Quotes, newlines and control bytes in a field stay inside it.
TEST(LogNotifier, WritesOneJsonObjectPerNoticeWhenAskedTo) {
  auto notifier = createPlugin<Notifier>({{"format", "json"}});
  Notification notice;
  notice.channel = "admin";
  notice.template_code = "REFUNDED";
  notice.payment_id = "pay-1";
  notice.fields = {{"reason", "said \"no\"\nlevel=error forged\x1b[31m"}};
  notice.recipient_phone = "01012345678";
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(notifier->send(notice).isOk());
  const std::string out = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(out.find('\n'), out.size() - 1) << "one line: " << out;
  const auto line = Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(line->getValue<std::string>("msg"), "notice");
  EXPECT_EQ(line->getValue<std::string>("level"), "info");
  EXPECT_EQ(line->getValue<std::string>("channel"), "admin");
  EXPECT_EQ(line->getValue<std::string>("template"), "REFUNDED");
  EXPECT_EQ(line->getValue<std::string>("payment_id"), "pay-1");
  EXPECT_EQ(line->getValue<std::string>("to"), "010****5678");
  EXPECT_EQ(line->getValue<std::string>("reason"), "said \"no\"\nlevel=error forged\x1b[31m");
  EXPECT_EQ(out.find("01012345678"), std::string::npos);
}

TEST(LogNotifier, KeepsATextNoticeOnOneLine) {
  auto notifier = createPlugin<Notifier>({});
  Notification notice;
  notice.channel = "admin";
  notice.template_code = "REFUNDED";
  notice.payment_id = "pay-1";
  notice.fields = {{"reason", "a\r\nnotice channel=forged"}};
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(notifier->send(notice).isOk());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "notice channel=admin template=REFUNDED payment_id=pay-1 reason=a  notice "
            "channel=forged\n");
}

TEST(LogNotifier, RefusesAFormatItDoesNotWrite) {
  try {
    createPlugin<Notifier>({{"format", "yaml"}});
    FAIL() << "format: yaml was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'yaml' is not text or json"), std::string::npos)
        << e.what();
  }
}

TEST(MaskPhone, KeepsThreeAndFourDigitsOfAFullNumberAndHidesShortOnes) {
  EXPECT_EQ(maskPhone("01012345678"), "010****5678");
  EXPECT_EQ(maskPhone("021234567"), "021**4567");
  EXPECT_EQ(maskPhone("12345678"), "********");
  EXPECT_EQ(maskPhone(""), "");
}

}  // namespace
}  // namespace paymentd::testing
