// SIGHUP to a real paymentd while webhooks keep coming: a threshold and a
// webhook secret file are applied, a listen address is refused by name (it
// needs a restart), a broken config changes nothing, and no request fails
// (docs/operations.md, Reload without downtime).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <regex>
#include <thread>

#include "daemon_process.h"
#include "support/test_servers.h"

namespace paymentd {
namespace {

using testing::HttpAnswer;
using testing::httpCall;

const std::string kRotatedSecret = "whsec_cm90YXRlZC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5";

std::string queryOf(const std::string& user) {
  return "user_id=" + user + "&subscribe_id=monthly-4&payment_type=FIRST_BILLING";
}

int occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool waitForLog(const testing::Daemon& daemon, const std::string& needle, int count) {
  for (int wait = 0; wait < 500; ++wait) {
    if (occurrences(daemon.log(), needle) >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string metricLine(std::uint16_t port, const std::string& series) {
  const std::string page = httpCall(port, "GET", "/metrics").body;
  std::smatch match;
  const std::regex line("(^|\n)(" +
                        std::regex_replace(series, std::regex(R"([{}\[\]().*+?^$|\\])"), R"(\$&)") +
                        R"( [^\n]*))");
  return std::regex_search(page, match, line) ? match[2].str() : "(missing: " + series + ")";
}

// One paid payment of a fresh user, delivered signed with `secret`.
HttpAnswer payOnce(const sandbox::Sandbox& portone, std::uint16_t port, const std::string& id,
                   const std::string& secret = "") {
  testing::createPaidPaymentFor(portone, id, "user-" + id);
  return testing::deliver(port, testing::signedWebhook(portone, id, secret), queryOf("user-" + id));
}

void reloadUnderLoad(const std::string& storage, const std::string& lock,
                     const sandbox::Sandbox& portone) {
  testing::TempDir dir;
  const std::string path = testing::clusterConfig(dir, storage, lock, portone);
  const std::string base = testing::TempDir::readFile(path);
  dir.write("rotated-secret", kRotatedSecret + "\n");
  dir.write("paymentd.yaml", base + "recurring: {max_failures: 14}\n");
  // The same config with a lower threshold, a second secret file (a rotation
  // starts) and another listen address.
  std::string changed = base +
                        "recurring: {max_failures: 9}\n"
                        "outbox: {max_attempts: 5}\n"
                        "reconcile: {interval_s: 60}\n";
  changed.replace(changed.find("webhook_secret_files: [webhook-secret]"),
                  std::string("webhook_secret_files: [webhook-secret]").size(),
                  "webhook_secret_files: [webhook-secret, rotated-secret]");
  changed.replace(changed.find("127.0.0.1:0"), std::string("127.0.0.1:0").size(), "127.0.0.1:1");
  changed.replace(changed.find("read_timeout_ms: 2000"),
                  std::string("read_timeout_ms: 2000").size(), "read_timeout_ms: 2500");

  testing::Daemon daemon(dir, "daemon", path);
  const std::string hash_before = metricLine(daemon.port(), "paymentd_config_hash");
  EXPECT_EQ(payOnce(portone, daemon.port(), "before", kRotatedSecret).status, 401);

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> fulfilled{0};
  std::string first_failure;
  std::mutex failure_mutex;
  std::thread load([&] {
    for (int i = 0; !stop.load() && i < 2000; ++i) {
      HttpAnswer answer;
      try {
        answer = payOnce(portone, daemon.port(), "load-" + std::to_string(i));
      } catch (const std::exception& e) {
        answer.body = e.what();
      }
      if (answer.body == R"({"status":"fulfilled"})") {
        ++fulfilled;
      } else {
        ++failures;
        std::lock_guard<std::mutex> guard(failure_mutex);
        if (first_failure.empty()) first_failure = std::to_string(i) + ": " + answer.body;
      }
    }
  });

  // A broken config is refused whole: not even the good keys in it are taken.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  dir.write("paymentd.yaml", changed + "recurring_typo: 1\n");
  daemon.signal(SIGHUP);
  ASSERT_TRUE(waitForLog(daemon, "reload refused result=refused problems=1", 1)) << daemon.log();
  EXPECT_NE(daemon.log().find("reload refused: " + path + ":"), std::string::npos);
  EXPECT_EQ(payOnce(portone, daemon.port(), "refused", kRotatedSecret).status, 401);

  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  dir.write("paymentd.yaml", changed);
  daemon.signal(SIGHUP);
  ASSERT_TRUE(waitForLog(daemon, "msg=\"reloaded result=restart_needed", 1)) << daemon.log();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  load.join();

  const std::string log = daemon.log();
  // public_url defaults to http://<http.listen>, so it moved with it.
  EXPECT_NE(log.find("applied=recurring.max_failures,portone.webhook_secret_files,"
                     "portone.read_timeout_ms,outbox.max_attempts,reconcile.interval_s "
                     "needs_restart=http.listen,public_url config_hash="),
            std::string::npos)
      << log;
  EXPECT_EQ(occurrences(log, "reload: http.listen changed; it needs a restart"), 1) << log;
  EXPECT_NE(log.find("plugins=[validator amount@"), std::string::npos) << log;
  EXPECT_EQ(log.find("cm90YXRlZC13"), std::string::npos) << "a secret reached the log";

  // Applied: a webhook signed with the new secret is accepted; the old one still is.
  EXPECT_EQ(payOnce(portone, daemon.port(), "rotated", kRotatedSecret).body,
            R"({"status":"fulfilled"})");
  EXPECT_EQ(payOnce(portone, daemon.port(), "old-secret").body, R"({"status":"fulfilled"})");
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_GT(fulfilled.load(), 5);

  EXPECT_EQ(metricLine(daemon.port(), R"(paymentd_config_reloads_total{result="restart_needed"})"),
            R"(paymentd_config_reloads_total{result="restart_needed"} 1)");
  EXPECT_EQ(metricLine(daemon.port(), R"(paymentd_config_reloads_total{result="refused"})"),
            R"(paymentd_config_reloads_total{result="refused"} 1)");
  EXPECT_EQ(metricLine(daemon.port(), R"(paymentd_config_reloads_total{result="applied"})"),
            R"(paymentd_config_reloads_total{result="applied"} 0)");
  EXPECT_NE(metricLine(daemon.port(), "paymentd_config_hash"), hash_before);
}

TEST(DaemonReload, AppliesAThresholdAndASecretAndRefusesAListenAddressOnSqlite) {
  sandbox::Sandbox portone(sandbox::SandboxOptions{});
  portone.start();
  testing::TestDatabase database(storage::Backend::kSqlite);
  reloadUnderLoad(database.url(), "local", portone);
}

using DaemonReloadCluster = testing::ClusterTest;

TEST_F(DaemonReloadCluster, AppliesAThresholdAndASecretAndRefusesAListenAddressOnPostgres) {
  reloadUnderLoad(database_->url(), redis_, *portone_);
}

}  // namespace
}  // namespace paymentd
