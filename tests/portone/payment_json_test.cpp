// Tests of PortOne's Payment and BillingKeyInfo JSON mapping and its timestamps.
#include "portone/payment_json.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "portone/api_error.h"
#include "portone/rfc3339.h"

namespace paymentd::portone {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// PortOne's documented example answer of GET /payments/{id} (a PAID payment), with an unknown
// field added.
constexpr const char* kPaid = R"({
  "status": "PAID", "id": "order-20240425-0001",
  "transactionId": "01a07ab6-3bbe-f28f-9452-4e0baa5d1120",
  "merchantId": "merchant-8c2f1d3e", "storeId": "store-ae356798-3d20-4969-b739-14c6b0e1a667",
  "method": {"type": "PaymentMethodCard",
             "card": {"brand": "VISA", "type": "CREDIT", "ownerType": "PERSONAL", "bin": "43301234",
                      "number": "43301234****123*"},
             "approvalNumber": "30012345", "installment": {"month": 0, "isInterestFree": false}},
  "channel": {"type": "LIVE", "pgProvider": "TOSSPAYMENTS", "pgMerchantId": "tosspayments01"},
  "version": "V2", "requestedAt": "2024-04-25T09:59:30.123456789Z",
  "orderName": "월간 이용권",
  "amount": {"total": 10000, "taxFree": 0, "vat": 909, "supply": 9091, "discount": 500,
             "paid": 9500, "cancelled": 0, "cancelledTaxFree": 0},
  "currency": "KRW", "customer": {"id": "user-42", "name": "홍길동"},
  "paidAt": "2024-04-25T10:00:00Z", "pgTxId": "tiamp", "disputes": [],
  "someFieldAddedLater": {"a": 1}
})";

TEST(PaymentJson, MapsAPaidCardPayment) {
  const Payment payment = paymentFromJson(*parse(kPaid));
  EXPECT_EQ(payment.id, "order-20240425-0001");
  EXPECT_EQ(payment.status, PaymentStatus::kPaid);
  EXPECT_EQ(payment.transaction_id, "01a07ab6-3bbe-f28f-9452-4e0baa5d1120");
  EXPECT_EQ(payment.store_id, "store-ae356798-3d20-4969-b739-14c6b0e1a667");
  EXPECT_EQ(payment.amount.total, 10000);
  EXPECT_EQ(payment.amount.paid, 9500);
  EXPECT_EQ(payment.amount.discount, 500);
  EXPECT_EQ(payment.currency, "KRW");
  EXPECT_EQ(payment.method, PaymentMethodType::kCard);
  ASSERT_TRUE(payment.card);
  EXPECT_EQ(payment.card->brand, "VISA");
  EXPECT_EQ(payment.card->type, "CREDIT");
  EXPECT_EQ(payment.customer_id, "user-42");
  EXPECT_TRUE(payment.live);
  EXPECT_EQ(payment.order_name, "월간 이용권");
  ASSERT_TRUE(payment.paid_at);
  EXPECT_EQ(*payment.paid_at, Timestamp(std::chrono::seconds(1714039200)));
  EXPECT_FALSE(payment.billing_key);
}

TEST(PaymentJson, MapsUnknownStatusAndMethodToUnrecognized) {
  const Payment payment = paymentFromJson(*parse(
      R"({"status":"ON_HOLD","id":"p","method":{"type":"PaymentMethodTeleport"},"channel":{"type":"TEST"}})"));
  EXPECT_EQ(payment.status, PaymentStatus::kUnrecognized);
  EXPECT_EQ(payment.method, PaymentMethodType::kUnrecognized);
  EXPECT_FALSE(payment.card);
  EXPECT_FALSE(payment.live);
}

TEST(PaymentJson, ReadsFailureAndBillingFields) {
  const FetchedPayment payment = paymentFromJson(*parse(
      R"({"status":"FAILED","id":"p","billingKey":"bk-1","scheduleId":"s-1",
          "failure":{"reason":"[PAY_PROCESS_CANCELED] user","pgCode":"X"},
          "method":{"type":"PaymentMethodEasyPay","provider":"KAKAOPAY",
                    "easyPayMethod":{"type":"PaymentMethodCard","card":{"brand":"LOCAL"}}}})"));
  EXPECT_EQ(payment.status, PaymentStatus::kFailed);
  EXPECT_EQ(payment.billing_key, "bk-1");
  EXPECT_EQ(payment.schedule_id, "s-1");
  EXPECT_EQ(payment.failure_reason, "[PAY_PROCESS_CANCELED] user");
  EXPECT_EQ(payment.failure_pg_code,
            "X");  // what tells a hard decline (recurring.hard_decline_codes)
  EXPECT_EQ(payment.method, PaymentMethodType::kEasyPay);
  ASSERT_TRUE(payment.card);
  EXPECT_EQ(payment.card->brand, "LOCAL");
}

TEST(PaymentJson, KeepsTheCustomersPhoneNumberForTheHostOnly) {
  const FetchedPayment payment = paymentFromJson(*parse(
      R"({"status":"PAID","id":"p","customer":{"id":"user-42","phoneNumber":"010-1234-5678"}})"));
  EXPECT_EQ(payment.customer_phone, "01012345678");
  // The SDK's Payment, which plugins get, has no field for it: the slice is all they see.
  const Payment& for_plugins = payment;
  EXPECT_EQ(for_plugins.customer_id, "user-42");
  EXPECT_FALSE(paymentFromJson(*parse(R"({"status":"PAID","id":"p","customer":{"id":"u"}})"))
                   .customer_phone);
}

TEST(PaymentJson, NormalizesPhoneNumbersToDigitsOrNothing) {
  EXPECT_EQ(normalizedPhone("01012345678"), "01012345678");
  EXPECT_EQ(normalizedPhone("010 1234 5678"), "01012345678");
  EXPECT_EQ(normalizedPhone("+82 10-1234-5678"), "01012345678");
  EXPECT_EQ(normalizedPhone("+82 (0)10 1234 5678"), "01012345678");
  EXPECT_EQ(normalizedPhone("02-123-4567"), "021234567");
  EXPECT_EQ(normalizedPhone("+1 415 555 0100"), std::nullopt);  // not a Korean number
  EXPECT_EQ(normalizedPhone("1234"), std::nullopt);
  EXPECT_EQ(normalizedPhone("010-1234-5678-9999"), std::nullopt);
  EXPECT_EQ(normalizedPhone(""), std::nullopt);
}

TEST(PaymentJson, RefusesAPaymentWithoutIdOrStatus) {
  EXPECT_THROW(paymentFromJson(*parse(R"({"status":"PAID"})")), TransientError);
  EXPECT_THROW(paymentFromJson(*parse(R"({"id":"p"})")), TransientError);
}

// Money is read exactly or not at all: an amount PortOne's answer cannot mean
// (too large for 64 bits, a fraction of a won, negative, not a number) makes
// the answer unreadable, never a crash or a rounded amount.
TEST(PaymentJson, RefusesAnAmountThatIsNotAWholeNumberOfWon) {
  const auto withPaid = [](const std::string& paid) {
    return parse(R"({"id":"p","status":"PAID","amount":{"total":1000,"paid":)" + paid + "}}");
  };
  for (const std::string bad :
       {"590099999999999999999999999999.0", "18446744073709551615", "9223372036854775808", "1000.5",
        "-1", "\"1000\"", "true", "1e300", "[1000]"}) {
    SCOPED_TRACE(bad);
    try {
      (void)paymentFromJson(*withPaid(bad));
      ADD_FAILURE() << "read an amount of " << bad;
    } catch (const TransientError& error) {
      EXPECT_EQ(error.kind(), TransientError::Kind::kBadResponse);
    }
  }
  EXPECT_EQ(paymentFromJson(*withPaid("1000.0")).amount.paid, 1000);
  EXPECT_EQ(paymentFromJson(*withPaid("9223372036854775807")).amount.paid, 9223372036854775807LL);
  EXPECT_EQ(paymentFromJson(*withPaid("null")).amount.paid, 0);
  EXPECT_EQ(paymentFromJson(*parse(R"({"id":"p","status":"PAID","amount":{}})")).amount.paid, 0);
}

// A DeletedBillingKeyInfo as the SDK declares it, with an unknown field added.
constexpr const char* kDeletedKey = R"({
  "status": "DELETED", "billingKey": "billing-key-75ae3cab", "merchantId": "merchant-1",
  "storeId": "store-1",
  "methods": [{"type": "BillingKeyPaymentMethodCard",
               "card": {"brand": "VISA", "type": "CREDIT", "bin": "123456",
                        "number": "123456******5678"}}],
  "channels": [{"type": "LIVE", "pgProvider": "TOSSPAYMENTS", "pgMerchantId": "toss-1"}],
  "customer": {"id": "user-42"},
  "issuedAt": "2024-04-25T10:00:00Z", "deletedAt": "2024-05-25T10:00:00Z",
  "someFieldAddedLater": 1
})";

TEST(BillingKeyJson, MapsADeletedCardKey) {
  const BillingKeyInfo info = billingKeyFromJson(*parse(kDeletedKey));
  EXPECT_EQ(info.billing_key, "billing-key-75ae3cab");
  EXPECT_EQ(info.status, BillingKeyStatus::kDeleted);
  EXPECT_EQ(info.customer_id, "user-42");
  EXPECT_EQ(info.masked_card_number, "123456******5678");
  EXPECT_EQ(info.issued_at, Timestamp(std::chrono::seconds(1714039200)));
  EXPECT_EQ(info.deleted_at, Timestamp(std::chrono::seconds(1714039200 + 30 * 86400)));
}

TEST(BillingKeyJson, FindsTheCardBehindAnEasyPayAndToleratesUnknownValues) {
  const BillingKeyInfo info = billingKeyFromJson(*parse(
      R"({"status":"SUSPENDED","billingKey":"bk","customer":{},
          "methods":[{"type":"BillingKeyPaymentMethodTeleport"},
                     {"type":"BillingKeyPaymentMethodEasyPay","provider":"KAKAOPAY",
                      "method":{"type":"BillingKeyPaymentMethodCard","card":{"number":"5365********4321"}}}]})"));
  EXPECT_EQ(info.status, BillingKeyStatus::kUnrecognized);
  EXPECT_FALSE(info.customer_id);
  EXPECT_EQ(info.masked_card_number, "5365********4321");
  EXPECT_FALSE(
      billingKeyFromJson(*parse(R"({"status":"ISSUED","billingKey":"bk"})")).masked_card_number);
}

TEST(BillingKeyJson, RefusesAKeyWithoutBillingKeyOrStatus) {
  EXPECT_THROW(billingKeyFromJson(*parse(R"({"status":"ISSUED"})")), TransientError);
  EXPECT_THROW(billingKeyFromJson(*parse(R"({"billingKey":"bk"})")), TransientError);
}

TEST(BillingKeyJson, TheLastDigitsOnlyWhenPortOneShowsThem) {
  EXPECT_EQ(cardLastDigits("123456******5678"), "5678");
  EXPECT_EQ(cardLastDigits("43301234****123*"), std::nullopt);  // masked at the end
  EXPECT_EQ(cardLastDigits("123"), std::nullopt);
  EXPECT_EQ(cardLastDigits(""), std::nullopt);
}

TEST(Rfc3339, ParsesVariablePrecisionAndOffsets) {
  using std::chrono::microseconds;
  const Timestamp base{std::chrono::seconds(1714039200)};
  EXPECT_EQ(parseRfc3339("2024-04-25T10:00:00Z"), base);
  EXPECT_EQ(parseRfc3339("2024-04-25T10:00:00.5Z"), base + microseconds(500000));
  EXPECT_EQ(parseRfc3339("2024-04-25T10:00:00.366979621Z"), base + microseconds(366979));
  EXPECT_EQ(parseRfc3339("2024-04-25T19:00:00+09:00"), base);
  EXPECT_FALSE(parseRfc3339("2024-04-25 10:00"));
  EXPECT_FALSE(parseRfc3339("2024-02-30T10:00:00Z"));
  EXPECT_FALSE(parseRfc3339("2024-04-25T10:00:00"));
  EXPECT_FALSE(parseRfc3339("2024-04-25T10:00:00.Z"));
}

// Found by fuzz_payment_json: a well-formed time the clock cannot hold (its
// nanoseconds overflow 64 bits: before 1677-09-21 or after 2262-04-11) was
// converted anyway, signed overflow (undefined behaviour). Now it is refused
// like any malformed time; the last representable second still parses.
TEST(Rfc3339, RefusesATimeTheClockCannotHold) {
  EXPECT_FALSE(parseRfc3339("5575-01-01T00:00:01Z"));
  EXPECT_FALSE(parseRfc3339("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(parseRfc3339("0001-01-01T00:00:00Z"));
  EXPECT_FALSE(parseRfc3339("2262-04-11T23:47:17Z"));
  EXPECT_FALSE(parseRfc3339("2262-04-12T08:47:17+09:00"));  // past it by its offset
  const auto last = parseRfc3339("2262-04-11T23:47:16Z");
  ASSERT_TRUE(last);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(last->time_since_epoch()).count(),
            9223372036LL);
  EXPECT_EQ(parseRfc3339("2262-04-12T08:47:16+09:00"), last);
  EXPECT_FALSE(parseRfc3339("2262-04-11T23:47:16.9Z"));  // past the last nanosecond
}

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  const Timestamp time = Timestamp(std::chrono::seconds(1714039200)) + std::chrono::milliseconds(7);
  EXPECT_EQ(formatRfc3339(time), "2024-04-25T10:00:00.007Z");
  EXPECT_EQ(parseRfc3339(formatRfc3339(time)), time);
}

}  // namespace
}  // namespace paymentd::portone
