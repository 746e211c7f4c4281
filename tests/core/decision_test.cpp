// Every verdict: its name, whether it is final, whether the reconciler must
// finish it, and the HTTP status PortOne's webhook gets for it.
#include "core/decision.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "api/webhook_answer.h"

namespace paymentd::core {
namespace {

struct Row {
  Verdict verdict;
  const char* name;
  bool final;
  bool awaits_reconciler;
  int http_status;
};

// The contract of docs/operations.md#webhook-answers, one row per verdict.
const std::vector<Row> kVerdicts = {
    {Verdict::kFulfilled, "fulfilled", true, false, 200},
    {Verdict::kAlreadyFulfilled, "already_fulfilled", true, false, 200},
    {Verdict::kRefunded, "refunded", true, false, 200},
    {Verdict::kRefundFailed, "refund_failed", true, false, 200},
    {Verdict::kCancelled, "cancelled", true, false, 200},
    {Verdict::kDeclined, "payment_failed", true, false, 200},
    {Verdict::kStale, "stale", true, false, 200},
    {Verdict::kIgnored, "ignored", true, false, 200},
    {Verdict::kNotFound, "not_found", true, false, 200},
    {Verdict::kNotPaid, "not_paid", false, true, 409},
    {Verdict::kLockedElsewhere, "already_processing", false, false, 409},
    {Verdict::kUnavailable, "unavailable", false, true, 503},
    {Verdict::kBadSignature, "bad_signature", false, false, 401},
    {Verdict::kMalformed, "malformed", false, false, 400},
    {Verdict::kForeignStore, "foreign_store", false, false, 400},
};

TEST(Decision, EveryVerdictHasItsNameFinalityAndWebhookStatus) {
  std::set<std::string> names;
  for (const Row& row : kVerdicts) {
    SCOPED_TRACE(row.name);
    const Decision decision{row.verdict, "CODE"};
    EXPECT_EQ(verdictName(row.verdict), row.name);
    EXPECT_EQ(decision.isFinal(), row.final);
    EXPECT_EQ(decision.awaitsReconciler(), row.awaits_reconciler);
    EXPECT_EQ(api::webhookHttpStatus(row.verdict), row.http_status);
    names.insert(row.name);
  }
  EXPECT_EQ(names.size(), kVerdicts.size()) << "two verdicts share a name";
  EXPECT_EQ(kVerdicts.size(), static_cast<std::size_t>(Verdict::kForeignStore))
      << "a verdict is missing from the table";
}

TEST(Decision, EveryFinalVerdictIsAnsweredTwoHundredSoPortOneStopsRedelivering) {
  for (const Row& row : kVerdicts) {
    SCOPED_TRACE(row.name);
    const Decision decision{row.verdict, ""};
    EXPECT_EQ(decision.isFinal(), api::webhookHttpStatus(row.verdict) == 200);
  }
}

TEST(Decision, TheWebhookAnswerCarriesTheVerdictAndItsCode) {
  const http::HttpResponse refunded = api::webhookAnswer({Verdict::kRefunded, "AMOUNT_MISMATCH"});
  EXPECT_EQ(refunded.status, 200);
  EXPECT_EQ(refunded.body, R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  const http::HttpResponse fulfilled = api::webhookAnswer({Verdict::kFulfilled, ""});
  EXPECT_EQ(fulfilled.body, R"({"status":"fulfilled"})");
}

}  // namespace
}  // namespace paymentd::core
