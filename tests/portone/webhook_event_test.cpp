// Tests of the 2024-04-25 webhook body parser.
#include "portone/webhook_event.h"

#include <gtest/gtest.h>

namespace paymentd::portone {
namespace {

constexpr const char* kStore = "store-ae356798-3d20-4969-b739-14c6b0e1a667";

WebhookEventParser parser() {
  return WebhookEventParser(
      kStore, {WebhookEventType::kTransactionPaid, WebhookEventType::kTransactionFailed,
               WebhookEventType::kTransactionCancelled});
}

TEST(WebhookEventParser, AcceptsAPaidTransaction) {
  const auto parsed = parser().parse(
      R"({"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"example-payment-id","storeId":"store-ae356798-3d20-4969-b739-14c6b0e1a667","transactionId":"55451513-9763-4a7a-bb43-78a4c65be843"}})");
  ASSERT_EQ(parsed.status, WebhookParse::Status::kAccepted) << parsed.problem;
  EXPECT_EQ(parsed.event.type, WebhookEventType::kTransactionPaid);
  EXPECT_EQ(parsed.event.payment_id, "example-payment-id");
  EXPECT_EQ(parsed.event.transaction_id, "55451513-9763-4a7a-bb43-78a4c65be843");
  EXPECT_EQ(parsed.event.timestamp, "2024-04-25T10:00:00.000Z");
  EXPECT_FALSE(parsed.event.cancellation_id);
}

TEST(WebhookEventParser, ReadsTheCancellationIdAndIgnoresUnknownFields) {
  const auto parsed = parser().parse(R"({
    "type": "Transaction.Cancelled", "timestamp": "2024-04-25T10:00:00.000Z", "newTopLevel": [1,2],
    "data": {"paymentId": "p-1", "storeId": "store-ae356798-3d20-4969-b739-14c6b0e1a667",
             "transactionId": "t-1", "cancellationId": "c-1", "future": {"x": true}}})");
  ASSERT_EQ(parsed.status, WebhookParse::Status::kAccepted) << parsed.problem;
  EXPECT_EQ(parsed.event.cancellation_id, "c-1");
}

TEST(WebhookEventParser, AcceptsAMissingStoreId) {
  const auto parsed = parser().parse(
      R"({"type":"Transaction.Failed","data":{"paymentId":"p","transactionId":"t"}})");
  ASSERT_EQ(parsed.status, WebhookParse::Status::kAccepted) << parsed.problem;
  EXPECT_FALSE(parsed.event.store_id);
}

TEST(WebhookEventParser, IgnoresTypesNotHandledAndUnknownTypes) {
  const auto ready = parser().parse(
      R"({"type":"Transaction.Ready","data":{"paymentId":"p","transactionId":"t"}})");
  EXPECT_EQ(ready.status, WebhookParse::Status::kIgnored);
  EXPECT_EQ(ready.event.type, WebhookEventType::kTransactionReady);

  const auto future = parser().parse(R"({"type":"Transaction.SomethingNew","data":{}})");
  EXPECT_EQ(future.status, WebhookParse::Status::kIgnored);
  EXPECT_EQ(future.event.type, WebhookEventType::kUnrecognized);
  EXPECT_EQ(future.event.type_name, "Transaction.SomethingNew");

  const auto billing = parser().parse(
      R"({"type":"BillingKey.Issued","data":{"storeId":"store-ae356798-3d20-4969-b739-14c6b0e1a667","billingKey":"bk"}})");
  EXPECT_EQ(billing.status, WebhookParse::Status::kIgnored);
  EXPECT_EQ(billing.event.billing_key, "bk");
}

TEST(WebhookEventParser, RejectsAnotherStore) {
  const auto parsed = parser().parse(
      R"({"type":"Transaction.Paid","data":{"paymentId":"p","transactionId":"t","storeId":"store-other"}})");
  EXPECT_EQ(parsed.status, WebhookParse::Status::kForeignStore);
  const auto ignored_type = parser().parse(
      R"({"type":"Transaction.Ready","data":{"paymentId":"p","transactionId":"t","storeId":"store-other"}})");
  EXPECT_EQ(ignored_type.status, WebhookParse::Status::kForeignStore);
}

TEST(WebhookEventParser, RejectsMalformedBodies) {
  EXPECT_EQ(parser().parse("not json").status, WebhookParse::Status::kMalformed);
  EXPECT_EQ(parser().parse("[1,2]").status, WebhookParse::Status::kMalformed);
  EXPECT_EQ(parser().parse(R"({"data":{"paymentId":"p"}})").status,
            WebhookParse::Status::kMalformed);
  EXPECT_EQ(parser().parse(R"({"type":7,"data":{"paymentId":"p"}})").status,
            WebhookParse::Status::kMalformed);
  EXPECT_EQ(parser().parse(R"({"type":"Transaction.Paid","data":{"transactionId":"t"}})").status,
            WebhookParse::Status::kMalformed);
  EXPECT_EQ(parser()
                .parse(R"({"type":"Transaction.Paid","data":{"paymentId":"","transactionId":"t"}})")
                .status,
            WebhookParse::Status::kMalformed);
  EXPECT_EQ(parser().parse(R"({"type":"Transaction.Paid","data":"p"})").status,
            WebhookParse::Status::kMalformed);
}

TEST(WebhookEventType, RoundTripsEveryKnownName) {
  for (int i = static_cast<int>(WebhookEventType::kTransactionReady);
       i < static_cast<int>(WebhookEventType::kUnrecognized); ++i) {
    const auto type = static_cast<WebhookEventType>(i);
    EXPECT_EQ(webhookEventTypeFromName(webhookEventTypeName(type)), type) << i;
  }
}

}  // namespace
}  // namespace paymentd::portone
