// Issue 20, defect 15's follow-up: a payment's lease lost while its work runs
// (the Redis key found gone or another's by a renewal: another worker may be
// running the same payment now) commits nothing, and PortOne is answered with a
// retryable 503, so the payment is settled by whoever holds the lock next.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "pipeline_harness.h"
#include "support/subprocess.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using Poco::JSON::Object;
using testing::HarnessOptions;
using testing::PipelineHarness;

const std::string kQuery = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";

TEST(LeaseLost, AWorkerWhoseLeaseWasTakenCommitsNothingAndAnswersRetryable) {
  PAYMENTD_REQUIRE_BACKEND(storage::Backend::kPostgres);
  PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
  HarnessOptions options;
  options.lock_url = redis;
  options.lock_lease_ms = 300;  // renewed every 100 ms
  PipelineHarness h(storage::Backend::kPostgres, options);
  Object payment;
  payment.set("id", "pay-lease");
  payment.set("status", "PAID");
  payment.set("amount", 59000);
  payment.set("method", "card");
  payment.set("billingKey", "card-ok");
  payment.set("customerId", "42");
  h.createPayment(payment);
  Object slow;  // PortOne's answer takes a second: the work is under way meanwhile
  slow.set("method", "GET");
  slow.set("path", "/payments/pay-lease");
  slow.set("kind", "delay");
  slow.set("delayMs", 1000);
  h.addFault(slow);

  // Another worker takes the key while this one waits for PortOne.
  std::thread thief([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    testing::runProcess("/usr/bin/redis-cli",
                        {"-u", redis, "SET", "paymentd:lock:payment:pay-lease",
                         "another-workers-token", "PX", "5000"});
  });
  const testing::HttpAnswer answer = h.sendWebhook("Transaction.Paid", "pay-lease", kQuery);
  thief.join();
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_NE(answer.body.find("LOCK_LEASE_LOST"), std::string::npos) << answer.body;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/pay-lease/cancel"), 0);  // not a refund
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = 'pay-lease' AND "
                    "stage = 'lock' AND result = 'lost'"),
            1);

  // The other worker is gone: PortOne's redelivery is fulfilled, once.
  testing::runProcess("/usr/bin/redis-cli",
                      {"-u", redis, "DEL", "paymentd:lock:payment:pay-lease"});
  h.clearFaults();
  EXPECT_EQ(h.sendWebhook("Transaction.Paid", "pay-lease", kQuery).body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payments"), 1);
}

}  // namespace
}  // namespace paymentd::pipeline
