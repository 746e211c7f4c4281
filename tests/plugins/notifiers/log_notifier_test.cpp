// The log notifier: one line per notice on stderr, with the subscriber's phone
// number masked by the SDK's maskPhone().
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

TEST(MaskPhone, KeepsThreeAndFourDigitsOfAFullNumberAndHidesShortOnes) {
  EXPECT_EQ(maskPhone("01012345678"), "010****5678");
  EXPECT_EQ(maskPhone("021234567"), "021**4567");
  EXPECT_EQ(maskPhone("12345678"), "********");
  EXPECT_EQ(maskPhone(""), "");
}

}  // namespace
}  // namespace paymentd::testing
