// A real daemon's whole output with `logging.format: json`, as journald and a log
// shipper read it: every line one JSON object (the log notifier's and the outbox
// worker's lines included), ids as fields, a refused webhook as one notice line with
// its reason and source; and its /metrics as Prometheus' own linter reads it.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "daemon_process.h"
#include "support/subprocess.h"

namespace paymentd::testing {
namespace {

using Poco::JSON::Object;

std::vector<Object::Ptr> jsonLines(const std::string& output) {
  std::vector<Object::Ptr> lines;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    try {
      lines.push_back(Poco::JSON::Parser().parse(line).extract<Object::Ptr>());
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not one JSON object: " << line;
    }
  }
  return lines;
}

std::string field(const Object::Ptr& line, const std::string& name) {
  return line->has(name) ? line->get(name).toString() : "";
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void createPayment(const sandbox::Sandbox& portone, const std::string& id, int amount) {
  const std::string body =
      R"({"id":")" + id + R"(","status":"PAID","amount":)" + std::to_string(amount) +
      R"(,"method":"card","billingKey":"billing-key-)" + id + R"(","customerId":"42"})";
  ASSERT_EQ(httpCall(portone.port(), "POST", "/_sandbox/payments", body).status, 201);
}

TEST(DaemonOutput, EveryLineIsOneJsonObjectAndTheScrapePassesPromtool) {
  sandbox::Sandbox portone(sandbox::SandboxOptions{});
  portone.start();
  TempDir dir;
  const std::string config =
      clusterConfig(dir, "sqlite:" + (dir.path() / "paymentd.db").string(), "local", portone);
  std::ofstream(config, std::ios::app)
      << "  notifiers:\n"
         "    admin: {plugin: log, config: {prefix: admin, format: json}}\n"
         "pipeline: {admin_channel: admin}\n"
         "outbox: {poll_interval_ms: 100}\n"
         "logging: {level: info, format: json}\n";

  std::string scrape;
  {
    Daemon daemon(dir, "daemon", config);
    createPayment(portone, "pay-paid", 59000);
    createPayment(portone, "pay-wrong-amount", 50000);  // refunded, the admin told
    EXPECT_EQ(deliver(daemon.port(), signedWebhook(portone, "pay-paid")).status, 200);
    EXPECT_EQ(deliver(daemon.port(), signedWebhook(portone, "pay-wrong-amount")).status, 200);
    SignedWebhook forged = signedWebhook(portone, "pay-forged");
    forged.signature = "v1,c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ==";
    EXPECT_EQ(deliver(daemon.port(), forged).status, 401);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (daemon.log().find("notifier.log") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const HttpAnswer metrics = httpCall(daemon.port(), "GET", "/metrics", "");
    ASSERT_EQ(metrics.status, 200);
    scrape = dir.write("metrics.txt", metrics.body);
  }
  portone.stop();

  const std::string output = readFile(dir.path() / "daemon.log");
  const std::vector<Object::Ptr> lines = jsonLines(output);
  ASSERT_GT(lines.size(), 5u) << output;

  int refusals = 0, notices = 0, outbox_lines = 0;
  for (const Object::Ptr& line : lines) {
    EXPECT_FALSE(field(line, "time").empty()) << output;
    EXPECT_FALSE(field(line, "level").empty()) << output;
    if (field(line, "msg") == "webhook refused") {
      ++refusals;
      EXPECT_EQ(field(line, "level"), "notice");
      EXPECT_EQ(field(line, "code"), "NO_MATCHING_SIGNATURE");
      EXPECT_EQ(field(line, "source").rfind("127.0.0.1", 0), 0u) << field(line, "source");
    }
    if (field(line, "logger") == "notifier.log") {
      ++notices;
      EXPECT_EQ(field(line, "channel"), "admin");
      EXPECT_EQ(field(line, "payment_id"), "pay-wrong-amount");
    }
    if (field(line, "logger") == "paymentd.outbox") {
      ++outbox_lines;
      EXPECT_FALSE(field(line, "stage").empty());
      EXPECT_FALSE(field(line, "outcome").empty());
      EXPECT_EQ(field(line, "msg").find("payment_id="), std::string::npos) << "ids as fields";
    }
  }
  EXPECT_EQ(refusals, 1) << output;
  EXPECT_EQ(notices, 1) << output;
  EXPECT_GE(outbox_lines, 2) << output;  // the next month's schedule and the admin notice
  // Neither the forged body nor its signature reaches the log.
  EXPECT_EQ(output.find("pay-forged"), std::string::npos) << output;
  EXPECT_EQ(output.find("c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ"), std::string::npos);

  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    FAIL() << "promtool is not installed (scripts/setup.sh installs it)";
  }
  const ProcessResult checked =
      runProcess("/bin/sh", {"-c", "promtool check metrics < '" + scrape + "' 2>&1"});
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
  EXPECT_EQ(checked.out, "") << "promtool's warnings";
}

}  // namespace
}  // namespace paymentd::testing
