// PostgreSQL stops under a running daemon: webhooks are answered 503, nothing
// is refunded, the daemon stays up, and a redelivery after the database is back
// fulfils the payment. Stops the shared test server: runs alone (RUN_SERIAL).
#include <gtest/gtest.h>
#include <unistd.h>

#include "daemon_process.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::HttpAnswer;

void pgCtl(const std::string& action) {
  const std::string bin = *testing::testServer("PAYMENTD_TEST_PG_BIN");
  const std::string data = *testing::testServer("PAYMENTD_TEST_PG_DATA");
  std::vector<std::string> args = {"-D", data,   "-l", data + "/../outage.log",
                                   "-m", "fast", "-w", action};
  std::string program = bin + "/pg_ctl";
  if (geteuid() == 0) {  // PostgreSQL refuses to run as root
    args.insert(args.begin(), {"-u", "postgres", "--", program});
    program = "/usr/sbin/runuser";
  }
  const auto result = testing::runProcess(program, args);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(DatabaseOutage, AnswersUnavailableWithoutRefundAndFulfilsAfterRecovery) {
  PAYMENTD_REQUIRE_BACKEND(storage::Backend::kPostgres);
  PAYMENTD_REQUIRE_SERVER(pg_bin, "PAYMENTD_TEST_PG_BIN");
  testing::TestDatabase database(storage::Backend::kPostgres);
  sandbox::Sandbox portone(sandbox::SandboxOptions{});
  portone.start();
  testing::TempDir dir;
  testing::Daemon daemon(dir, "daemon",
                         testing::clusterConfig(dir, database.url(), "local", portone));
  testing::createPaidPayment(portone, "outage-1");

  pgCtl("stop");
  HttpAnswer down = testing::deliver(daemon.port(), testing::signedWebhook(portone, "outage-1"));
  HttpAnswer ready = testing::httpCall(daemon.port(), "GET", "/readyz");
  HttpAnswer check = testing::httpCall(daemon.port(), "GET", "/api/v1/payment/check/outage-1");
  pgCtl("start");

  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body, R"({"status":"unavailable","code":"STORAGE_UNAVAILABLE"})");
  EXPECT_EQ(check.status, 503);
  EXPECT_EQ(testing::cancels(portone, "outage-1"), 0);

  // The daemon is still up and, the database back, the redelivery completes it.
  HttpAnswer up = testing::deliver(daemon.port(), testing::signedWebhook(portone, "outage-1"));
  EXPECT_EQ(up.body, R"({"status":"fulfilled"})");
  EXPECT_EQ(
      testing::httpCall(daemon.port(), "GET", "/api/v1/payment/check/outage-1").body,
      R"({"data":{"paymentId":"outage-1","status":"completed","paymentType":"FIRST_BILLING","reason":null,"refunded":false}})");
  EXPECT_EQ(testing::cancels(portone, "outage-1"), 0);
  portone.stop();
}

}  // namespace
}  // namespace paymentd::pipeline
