// The failpoint mechanism itself: the test-only paymentd-failpoints dies by
// SIGKILL at the point PAYMENTD_FAILPOINT names, and the shipped paymentd
// neither reads the variable nor contains the code that would.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "daemon_process.h"

namespace paymentd::pipeline {
namespace {

using testing::Daemon;
using testing::HttpAnswer;

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Failpoint : public ::testing::Test {
 protected:
  void SetUp() override { portone_.start(); }
  void TearDown() override { portone_.stop(); }

  // Delivers a paid first billing's webhook; the daemon may die before it answers.
  std::optional<HttpAnswer> deliverPaid(std::uint16_t port, const std::string& id) {
    testing::createPaidPayment(portone_, id);
    try {
      return testing::deliver(port, testing::signedWebhook(portone_, id));
    } catch (const std::exception&) {
      return std::nullopt;  // the connection died with the process
    }
  }
  std::int64_t count(const std::string& sql) {
    auto db = database_.open();
    return testing::queryInt(*db, sql);
  }

  sandbox::Sandbox portone_{sandbox::SandboxOptions{}};
  testing::TestDatabase database_{storage::Backend::kSqlite};
  testing::TempDir dir_;
};

TEST_F(Failpoint, KillsTheTestDaemonInsideTheTransactionSoNothingCommits) {
  const std::string config = testing::clusterConfig(dir_, database_.url(), "local", portone_);
  Daemon daemon(dir_, "killed", config, testing::killedAt("in_transaction"));
  const auto answer = deliverPaid(daemon.port(), "fp-1");
  EXPECT_FALSE(answer) << answer->status << " " << answer->body;
  ASSERT_TRUE(daemon.waitKilled(std::chrono::seconds(10))) << daemon.log();
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM subscriptions"), 0);
  EXPECT_EQ(testing::cancels(portone_, "fp-1"), 0);
}

TEST_F(Failpoint, CountsHitsAndKillsAtTheNth) {
  const std::string config = testing::clusterConfig(dir_, database_.url(), "local", portone_);
  Daemon daemon(dir_, "killed", config, testing::killedAt("after_commit:2"));
  const auto first = deliverPaid(daemon.port(), "fp-1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, R"({"status":"fulfilled"})");
  testing::createPaidPaymentFor(portone_, "fp-2", "43");
  EXPECT_THROW(testing::deliver(daemon.port(), testing::signedWebhook(portone_, "fp-2"),
                                "user_id=43&subscribe_id=monthly-4&payment_type=FIRST_BILLING"),
               std::exception);
  ASSERT_TRUE(daemon.waitKilled(std::chrono::seconds(10))) << daemon.log();
  // Killed after the second commit: its work stands, only the answer was lost.
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 2);
}

TEST_F(Failpoint, TheShippedDaemonIgnoresTheVariableAndHasNoFailpointCode) {
  const std::string config = testing::clusterConfig(dir_, database_.url(), "local", portone_);
  Daemon daemon(dir_, "shipped", config,
                testing::DaemonLaunch{PAYMENTD_EXECUTABLE, {"PAYMENTD_FAILPOINT=in_transaction"}});
  const auto answer = deliverPaid(daemon.port(), "fp-1");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, R"({"status":"fulfilled"})");
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 1);
  // The variable's name is only in the binary that can act on it.
  EXPECT_EQ(fileBytes(PAYMENTD_EXECUTABLE).find("PAYMENTD_FAILPOINT"), std::string::npos);
  EXPECT_NE(fileBytes(PAYMENTD_FAILPOINTS_EXECUTABLE).find("PAYMENTD_FAILPOINT"),
            std::string::npos);
}

}  // namespace
}  // namespace paymentd::pipeline
