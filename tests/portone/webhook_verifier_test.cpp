// Tests of the Standard Webhooks verifier against PortOne's known vector and single mutations.
#include "portone/webhook_verifier.h"

#include <gtest/gtest.h>

#include "clock/manual_clock.h"
#include "http/http_message.h"
#include "portone/secret_file.h"
#include "portone/webhook_signature.h"
#include "support/temp_dir.h"
#include "support/webhook_headers.h"

namespace paymentd::portone {
namespace {

using std::chrono::seconds;

// A vector from PortOne's server SDK tests (its secret, id, timestamp and signature).
constexpr const char* kSecret = "whsec_pzQGE83cSIRKM4/WH5QY+g==";
constexpr const char* kId = "dummy-webhook-id";
constexpr const char* kTimestamp = "1714039200";
constexpr std::int64_t kTimestampSeconds = 1714039200;
constexpr const char* kBody =
    R"({"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"example-payment-id","storeId":"store-ae356798-3d20-4969-b739-14c6b0e1a667","transactionId":"55451513-9763-4a7a-bb43-78a4c65be843"}})";
constexpr const char* kSignature = "v1,qmNcYHU8w9hP22fshTiuuIP9XZrhl6h0hjCr1zh7DRs=";
constexpr const char* kOtherSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

Clock::TimePoint at(std::int64_t unix_seconds) {
  return Clock::TimePoint(seconds(unix_seconds));
}

WebhookHeaders vectorHeaders() {
  return WebhookHeaders{kId, kTimestamp, kSignature};
}

http::HttpRequest requestWith(const std::vector<std::pair<std::string, std::string>>& headers) {
  http::HttpRequest request;
  for (const auto& [name, value] : headers) request.headers.emplace(name, value);
  return request;
}

class WebhookVerifierTest : public ::testing::Test {
 protected:
  ManualClock clock_{at(kTimestampSeconds)};
  WebhookVerifier verifier_ = WebhookVerifier::fromSecrets({kSecret}, clock_);
};

TEST_F(WebhookVerifierTest, AcceptsTheKnownVector) {
  EXPECT_EQ(verifier_.verify(vectorHeaders(), kBody), WebhookVerdict::kValid);
}

TEST_F(WebhookVerifierTest, SignsTheKnownVectorIdentically) {
  const auto key = decodeWebhookSecret(kSecret);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 16u);
  EXPECT_EQ(webhookSignatureEntry(*key, kId, kTimestamp, kBody), kSignature);
}

TEST_F(WebhookVerifierTest, RejectsOneChangedBodyByte) {
  std::string body = kBody;
  body[body.find("example")] = 'E';
  EXPECT_EQ(verifier_.verify(vectorHeaders(), body), WebhookVerdict::kNoMatchingSignature);
  std::string extra_space = std::string(kBody) + " ";
  EXPECT_EQ(verifier_.verify(vectorHeaders(), extra_space), WebhookVerdict::kNoMatchingSignature);
}

TEST_F(WebhookVerifierTest, RejectsAChangedId) {
  auto headers = vectorHeaders();
  headers.id = "dummy-webhook-ie";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
}

TEST_F(WebhookVerifierTest, RejectsAChangedTimestamp) {
  auto headers = vectorHeaders();
  headers.timestamp = "1714039201";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
  headers.timestamp = "01714039200";  // same number, different signed text
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
}

TEST_F(WebhookVerifierTest, RejectsANonNumericTimestamp) {
  auto headers = vectorHeaders();
  headers.timestamp = "1714039200x";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kInvalidTimestamp);
}

TEST_F(WebhookVerifierTest, RejectsEachMissingHeader) {
  for (int missing = 0; missing < 3; ++missing) {
    auto headers = vectorHeaders();
    if (missing == 0) headers.id.reset();
    if (missing == 1) headers.timestamp.reset();
    if (missing == 2) headers.signature.reset();
    EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kMissingRequiredHeaders) << missing;
  }
}

TEST_F(WebhookVerifierTest, TreatsADuplicatedHeaderAsMissing) {
  const std::vector<std::pair<std::string, std::string>> base = {
      {"webhook-id", kId}, {"webhook-timestamp", kTimestamp}, {"webhook-signature", kSignature}};
  EXPECT_EQ(verifier_.verify(testing::webhookHeadersOf(requestWith(base)), kBody),
            WebhookVerdict::kValid);
  for (const auto& [name, value] : base) {
    auto doubled = base;
    doubled.emplace_back(name, value);  // the same value twice still counts as missing
    EXPECT_EQ(verifier_.verify(testing::webhookHeadersOf(requestWith(doubled)), kBody),
              WebhookVerdict::kMissingRequiredHeaders)
        << name;
  }
}

TEST_F(WebhookVerifierTest, TreatsAnEmptyHeaderAsMissing) {
  auto request = requestWith(
      {{"webhook-id", ""}, {"webhook-timestamp", kTimestamp}, {"webhook-signature", kSignature}});
  EXPECT_EQ(verifier_.verify(testing::webhookHeadersOf(request), kBody),
            WebhookVerdict::kMissingRequiredHeaders);
}

TEST_F(WebhookVerifierTest, RejectsAnEmptyV1Entry) {
  auto headers = vectorHeaders();
  headers.signature = "v1,";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
}

TEST_F(WebhookVerifierTest, RejectsOnlyV2Entries) {
  auto headers = vectorHeaders();
  headers.signature = "v2,qmNcYHU8w9hP22fshTiuuIP9XZrhl6h0hjCr1zh7DRs=";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
  headers.signature = "v1a,qmNcYHU8w9hP22fshTiuuIP9XZrhl6h0hjCr1zh7DRs= v2,abc=";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
}

TEST_F(WebhookVerifierTest, RejectsANonBase64Signature) {
  auto headers = vectorHeaders();
  headers.signature = "v1,qmNcYHU8w9hP22fshTiuuIP9XZrhl6h0hjCr1zh7DRs*";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
  headers.signature = "v1,!!!!";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kNoMatchingSignature);
}

TEST_F(WebhookVerifierTest, RejectsASignatureMadeWithAnotherSecret) {
  const auto other = WebhookVerifier::fromSecrets({kOtherSecret}, clock_);
  EXPECT_EQ(other.verify(vectorHeaders(), kBody), WebhookVerdict::kNoMatchingSignature);
}

TEST_F(WebhookVerifierTest, FindsTheMatchingEntryAmongSeveral) {
  auto headers = vectorHeaders();
  headers.signature = std::string("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,xyz ") +
                      kSignature + ",extra-part-ignored";
  EXPECT_EQ(verifier_.verify(headers, kBody), WebhookVerdict::kValid);
}

TEST_F(WebhookVerifierTest, AcceptsTimestampsWithin299Seconds) {
  clock_.set(at(kTimestampSeconds - 299));
  EXPECT_EQ(verifier_.verify(vectorHeaders(), kBody), WebhookVerdict::kValid);
  clock_.set(at(kTimestampSeconds + 299));
  EXPECT_EQ(verifier_.verify(vectorHeaders(), kBody), WebhookVerdict::kValid);
}

TEST_F(WebhookVerifierTest, RejectsTimestampsBeyond301Seconds) {
  // The clock is "now"; a webhook stamped 301 s before now is too old, 301 s after is too new.
  clock_.set(at(kTimestampSeconds + 301));
  EXPECT_EQ(verifier_.verify(vectorHeaders(), kBody), WebhookVerdict::kTimestampTooOld);
  clock_.set(at(kTimestampSeconds - 301));
  EXPECT_EQ(verifier_.verify(vectorHeaders(), kBody), WebhookVerdict::kTimestampTooNew);
}

TEST_F(WebhookVerifierTest, AcceptsEitherOfTwoSecretsUntilOneIsRemoved) {
  const auto other_key = decodeWebhookSecret(kOtherSecret);
  ASSERT_TRUE(other_key);
  const WebhookHeaders from_other{kId, kTimestamp,
                                  webhookSignatureEntry(*other_key, kId, kTimestamp, kBody)};

  const auto both = WebhookVerifier::fromSecrets({kSecret, kOtherSecret}, clock_);
  EXPECT_EQ(both.verify(vectorHeaders(), kBody), WebhookVerdict::kValid);
  EXPECT_EQ(both.verify(from_other, kBody), WebhookVerdict::kValid);

  const auto only_other = WebhookVerifier::fromSecrets({kOtherSecret}, clock_);
  EXPECT_EQ(only_other.verify(vectorHeaders(), kBody), WebhookVerdict::kNoMatchingSignature);
  EXPECT_EQ(only_other.verify(from_other, kBody), WebhookVerdict::kValid);
}

TEST(WebhookSecret, RefusesMalformedSecrets) {
  ManualClock clock{at(kTimestampSeconds)};
  EXPECT_FALSE(decodeWebhookSecret("whsec_"));
  EXPECT_FALSE(decodeWebhookSecret("whsec_not base64!"));
  EXPECT_THROW(WebhookVerifier::fromSecrets({"whsec_%%%"}, clock), std::invalid_argument);
  EXPECT_THROW(WebhookVerifier::fromSecrets({}, clock), std::invalid_argument);
}

TEST(WebhookSecret, ReadsTrimmedSecretFiles) {
  testing::TempDir dir;
  const auto file = dir.write("secret", std::string("  ") + kSecret + "\n");
  ManualClock clock{at(kTimestampSeconds)};
  const auto verifier = WebhookVerifier::fromSecretFiles({file}, clock);
  EXPECT_EQ(verifier.verify(vectorHeaders(), kBody), WebhookVerdict::kValid);
  EXPECT_THROW(WebhookVerifier::fromSecretFiles({(dir.path() / "absent").string()}, clock),
               SecretFileError);
  const auto empty = dir.write("empty", "\n");
  EXPECT_THROW(readSecretFile(empty), SecretFileError);
}

}  // namespace
}  // namespace paymentd::portone
