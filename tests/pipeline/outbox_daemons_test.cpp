// Two real paymentd processes draining one outbox on PostgreSQL: every item
// carried out once; a daemon killed while it holds a claim loses nothing (its
// lease ends and the other daemon takes the item).
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "paymentd/outbox.h"
#include "pipeline_harness.h"
#include "storage/transaction.h"
#include "support/subprocess.h"

namespace paymentd::pipeline {
namespace {

using testing::BackgroundProcess;
using testing::PipelineHarness;

class OutboxDaemons : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(storage::Backend::kPostgres);
    harness_ = std::make_unique<PipelineHarness>(storage::Backend::kPostgres);
    harness_->registerCard("card-ok", 0, "succeed");
    const auto& sandbox = harness_->sandboxOptions();
    dir_.write("api-secret", sandbox.api_secret + "\n");
    dir_.write("webhook-secret", sandbox.webhook_secret + "\n");
    std::ifstream plans(std::string(PAYMENTD_SOURCE_DIR) + "/config/plans.yaml");
    std::stringstream text;
    text << plans.rdbuf();
    dir_.write("plans.yaml", text.str());
    config_ =
        dir_.write("paymentd.yaml",
                   "http: {listen: \"127.0.0.1:0\"}\nstorage: \"" + harness_->databaseUrl() +
                       "\"\nportone:\n  api_base: \"" + harness_->sandboxUrl() +
                       "\"\n  store_id: \"" + sandbox.store_id +
                       "\"\n  api_secret_file: \"api-secret\"\n  webhook_secret_files: "
                       "[\"webhook-secret\"]\ncatalog: \"plans.yaml\"\nplugins: {directories: [\"" +
                       std::string(PAYMENTD_BINARY_DIR) +
                       "/lib/paymentd/plugins\"]}\npublic_url: \"http://127.0.0.1:9\"\n"
                       "outbox: {poll_interval_ms: 50, batch_size: 4, lease_s: 5}\n");
  }

  void enqueue(std::int64_t subscription) {
    harness_->seedSubscription(subscription);
    SchedulePaymentRequest r;
    r.subscription_id = subscription;
    r.cycle = 1;
    r.user_id = "42";
    r.plan_id = "monthly-4";
    r.payment_type = "BILLING";
    r.billing_key = "card-ok";
    r.amount = 59000;
    r.order_name = "Monthly";
    r.time_to_pay = std::chrono::system_clock::now() + std::chrono::days(30);
    storage::Transaction transaction(harness_->database());
    ASSERT_TRUE(transaction.store().enqueueOutbox(toOutboxItem(r)).isOk());
    transaction.commit();
  }
  std::unique_ptr<BackgroundProcess> daemon(const std::string& name) {
    auto process = std::make_unique<BackgroundProcess>(
        PAYMENTD_EXECUTABLE, std::vector<std::string>{"--config=" + config_},
        (dir_.path() / (name + ".log")).string());
    EXPECT_TRUE(testing::waitForOutput(*process, "listening on", std::chrono::seconds(20)))
        << process->stderrText();
    return process;
  }
  std::string schedulePath(std::int64_t subscription) {
    return "/payments/" + scheduledPaymentId(subscription, 1, 1) + "/schedule";
  }

  testing::TempDir dir_;
  std::unique_ptr<PipelineHarness> harness_;
  std::string config_;
};

TEST_F(OutboxDaemons, TwoDaemonsCarryOutEveryItemOnce) {
  constexpr int kItems = 30;
  for (int i = 1; i <= kItems; ++i) enqueue(200 + i);
  auto a = daemon("a");
  auto b = daemon("b");
  EXPECT_TRUE(harness_->waitForCount("SELECT COUNT(*) FROM outbox WHERE status = 'DONE'", kItems,
                                     std::chrono::seconds(30)));
  EXPECT_EQ(harness_->count("SELECT COUNT(*) FROM outbox WHERE attempts <> 1"), 0);
  for (int i = 1; i <= kItems; ++i) {
    EXPECT_EQ(harness_->portoneRequests("POST", schedulePath(200 + i)), 1) << i;
  }
  a->signal(SIGTERM);
  b->signal(SIGTERM);
  EXPECT_EQ(a->waitFor(std::chrono::seconds(10)), 0);
  EXPECT_EQ(b->waitFor(std::chrono::seconds(10)), 0);
}

TEST_F(OutboxDaemons, ADaemonKilledHoldingAClaimLosesNothing) {
  // The first request hangs long enough to kill its daemon, even on a loaded
  // machine where noticing the claim takes a while (2 s was seen to be too short),
  // and well within the daemon's 10 s read timeout.
  Poco::JSON::Object fault;
  fault.set("path", schedulePath(300));
  fault.set("kind", "delay");
  fault.set("delayMs", 6000);
  harness_->addFault(fault);
  enqueue(300);
  auto doomed = daemon("doomed");
  ASSERT_TRUE(harness_->waitForCount(
      "SELECT COUNT(*) FROM outbox WHERE claimed_by LIKE '%:" + std::to_string(doomed->pid()) + "'",
      1));
  // Killed while PortOne holds its request (not before it was sent).
  for (int i = 0; i < 100 && harness_->portoneRequests("POST", schedulePath(300)) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(harness_->portoneRequests("POST", schedulePath(300)), 1);
  doomed->signal(SIGKILL);
  doomed->waitFor(std::chrono::seconds(5));
  EXPECT_EQ(harness_->text("SELECT status FROM outbox"), "PENDING");

  auto survivor = daemon("survivor");
  EXPECT_TRUE(harness_->waitForCount("SELECT COUNT(*) FROM outbox WHERE status = 'DONE'", 1,
                                     std::chrono::seconds(20)))
      << survivor->stderrText();
  EXPECT_EQ(harness_->count("SELECT attempts FROM outbox"), 1);  // the killed attempt never ended
  // Both requests carried one Idempotency-Key: PortOne holds one schedule.
  const auto keys = harness_->idempotencyKeys("POST", schedulePath(300));
  ASSERT_GE(keys.size(), 2u);
  for (const auto& key : keys) EXPECT_EQ(key, "paymentd-schedule-paymentd-sub300-c1-a1");
}

}  // namespace
}  // namespace paymentd::pipeline
