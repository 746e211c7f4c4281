// The Solapi notifier against a fake Solapi: the message-sending API's wire
// format (POST /messages/v4/send, {"message": {...}}) and its API-key
// authorization header, HMAC-SHA256 over date + salt with the API secret,
// checked here with an independent HMAC (OpenSSL's, not the plugin's Poco).
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <regex>

#include "fake_http_server.h"
#include "plugin_under_test.h"
#include "support/temp_dir.h"

namespace paymentd::testing {
namespace {

std::string opensslHmacHex(const std::string& key, const std::string& data) {
  unsigned char digest[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &size);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

struct SolapiFixture {
  FakeHttpServer solapi;
  TempDir dir;
  Notification notice;

  SolapiFixture() {
    notice.channel = "alimtalk";
    notice.template_code = "PAYMENT_FAILED_RETRY";
    notice.user_id = "42";
    notice.fields = {{"retry_date", "2026-12-26 10:00"}};
    notice.recipient_phone = "01012345678";
  }
  std::unique_ptr<Notifier> create(const std::string& kind) {
    return createPlugin<Notifier>(
        {{"api_key_file", dir.write("key", "NCSKEY123\n")},
         {"api_secret_file", dir.write("secret", "SECRET456\n")},
         {"sender", "0212345678"},
         {"kind", kind},
         {"pf_id", "KA01PF000"},
         {"templates", "PAYMENT_FAILED_RETRY=KA01TP111"},
         {"texts", "CHECK_CARD=Please check your card before #{retry_date}"},
         {"api_base", solapi.url("")}});
  }
};

TEST(SolapiNotifier, SendsAnAlimTalkWithASignedAuthorizationHeader) {
  SolapiFixture f;
  Outcome outcome = f.create("alimtalk")->send(f.notice);
  ASSERT_TRUE(outcome.isOk()) << outcome.message();
  const auto requests = f.solapi.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/messages/v4/send");
  EXPECT_EQ(requests[0].body,
            R"({"message":{"to":"01012345678","from":"0212345678","type":"ATA","kakaoOptions":)"
            R"({"pfId":"KA01PF000","templateId":"KA01TP111","variables":)"
            R"({"#{retry_date}":"2026-12-26 10:00"}}}})");
  std::smatch auth;
  const std::string header = requests[0].headers.at("Authorization");
  ASSERT_TRUE(std::regex_match(
      header, auth,
      std::regex("HMAC-SHA256 apiKey=NCSKEY123, date=(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ), "
                 "salt=([0-9a-f]{32}), signature=([0-9a-f]{64})")))
      << header;
  EXPECT_EQ(auth[3].str(), opensslHmacHex("SECRET456", auth[1].str() + auth[2].str()));
}

TEST(SolapiNotifier, SendsTheConfiguredSmsText) {
  SolapiFixture f;
  f.notice.channel = "sms";
  f.notice.template_code = "CHECK_CARD";
  ASSERT_TRUE(f.create("sms")->send(f.notice).isOk());
  EXPECT_EQ(f.solapi.requests().at(0).body,
            R"({"message":{"to":"01012345678","from":"0212345678","type":"SMS",)"
            R"("text":"Please check your card before 2026-12-26 10:00"}})");
}

TEST(SolapiNotifier, A5xxIsRetriedAndA4xxIsPermanent) {
  SolapiFixture f;
  auto notifier = f.create("alimtalk");
  f.solapi.queue(503, R"({"errorCode":"Unavailable"})");
  f.solapi.queue(400, R"({"errorCode":"ValidationError"})");
  EXPECT_TRUE(notifier->send(f.notice).isTransient());
  Outcome bad = notifier->send(f.notice);
  EXPECT_TRUE(bad.isRejected());
  EXPECT_EQ(bad.message(), R"(solapi answered 400: {"errorCode":"ValidationError"})");
}

TEST(SolapiNotifier, RefusesANoticeWithoutRecipientOrTemplateWithoutCallingSolapi) {
  SolapiFixture f;
  auto notifier = f.create("alimtalk");
  Notification no_phone = f.notice;
  no_phone.recipient_phone.reset();
  EXPECT_EQ(notifier->send(no_phone).code(), "NO_RECIPIENT");
  Notification unknown = f.notice;
  unknown.template_code = "SOMETHING_ELSE";
  EXPECT_EQ(notifier->send(unknown).code(), "NO_TEMPLATE");
  EXPECT_TRUE(f.solapi.requests().empty());
}

}  // namespace
}  // namespace paymentd::testing
