// Tests of the admin API's write body: what it reads, and the 400 for what it
// must not guess at (an amount that is not an exact number of won).
#include <gtest/gtest.h>

#include "lifecycle/operator_service.h"

namespace paymentd::lifecycle {
namespace {

TEST(OperatorBody, ReadsTheFieldsOfAWrite) {
  OperatorCall call;
  EXPECT_EQ(readOperatorBody(R"({"reason":"asked by phone","amount":3000,"billingKey":"bk-2",)"
                             R"("at":"period_end"})",
                             call),
            std::nullopt);
  EXPECT_EQ(call.reason, "asked by phone");
  EXPECT_EQ(call.amount, 3000);
  EXPECT_EQ(call.billing_key, "bk-2");
  EXPECT_EQ(call.at, "period_end");
}

TEST(OperatorBody, AnAbsentOrNullAmountMeansAllThatIsLeft) {
  OperatorCall call;
  EXPECT_EQ(readOperatorBody(R"({"reason":"r","amount":null})", call), std::nullopt);
  EXPECT_EQ(call.amount, std::nullopt);
  EXPECT_EQ(readOperatorBody("", call), std::nullopt);
  EXPECT_EQ(call.amount, std::nullopt);
}

TEST(OperatorBody, RefusesAnAmountThatIsNotAnExactNumberOfWon) {
  for (const std::string amount :
       {"true", "false", "1000.5", "\"1000\"", "1e300", "18446744073709551615", "[1]"}) {
    SCOPED_TRACE(amount);
    OperatorCall call;
    const auto refusal = readOperatorBody(R"({"reason":"r","amount":)" + amount + "}", call);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->status, 400);
    EXPECT_NE(refusal->body.find("INVALID_FIELD"), std::string::npos) << refusal->body;
  }
}

}  // namespace
}  // namespace paymentd::lifecycle
