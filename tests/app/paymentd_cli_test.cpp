// The real `paymentd` binary, run as an operator runs it.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <regex>
#include <thread>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace paymentd {
namespace {

using testing::runProcess;

const std::string kPaymentd = PAYMENTD_EXECUTABLE;
const std::string kShippedConfig = std::string(PAYMENTD_SOURCE_DIR) + "/config/paymentd.yaml";

const std::string kPlans =
    "- {id: monthly-4, name: \"Monthly\", price: 59000, months: 1, lessons_per_month: 4, trial: "
    "false}\n";

// Writes paymentd.yaml (and the plans catalog and secrets it names) into `dir`.
std::string writeConfig(const testing::TempDir& dir, const std::string& text) {
  dir.write("plans.yaml", kPlans);
  dir.write("api-secret", "test-api-secret\n");
  dir.write("webhook-secret", "whsec_dGVzdC13ZWJob29rLXNlY3JldC0xMjM0NTY3OA==\n");
  return dir.write("paymentd.yaml", text);
}

std::string minimalConfig(const std::string& extra = "") {
  return R"(http: {listen: "127.0.0.1:0", threads: 4, drain_timeout_s: 10}
storage: "sqlite:paymentd.db"
portone:
  api_base: "https://api.portone.io"
  store_id: "store-1"
  api_secret_file: "api-secret"
  webhook_secret_files: ["webhook-secret"]
catalog: "plans.yaml"
plugins: {directories: []}
)" + extra;
}

TEST(PaymentdCli, CheckConfigAcceptsTheShippedConfigAndListsItsPlugins) {
  auto result = runProcess(kPaymentd, {"--config=" + kShippedConfig, "--check-config"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("notifier log@1.2.0 for admin_slack"), std::string::npos) << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(PaymentdCli, CheckConfigRefusesAnUnknownKeyWithFileLineColumn) {
  testing::TempDir dir;
  const std::string path = writeConfig(dir, minimalConfig("lokc: local\n"));
  auto result = runProcess(kPaymentd, {"--config=" + path, "--check-config"});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("paymentd.yaml:10:1: unknown key 'lokc' in the config"),
            std::string::npos)
      << result.err;
}

// The renewals' payment type is recurring.payment_type alone: a config written
// for an older paymentd that still sets the processors' key is refused.
TEST(PaymentdCli, CheckConfigRefusesTheRemovedRenewalPaymentTypeKey) {
  testing::TempDir dir;
  const std::string plugins = "plugins:\n  directories: [\"" + std::string(PAYMENTD_BINARY_DIR) +
                              "/lib/paymentd/plugins\"]\n  processors:\n    FIRST_BILLING: "
                              "{plugin: first-billing, config: {renewal_payment_type: BILLING}}\n";
  std::string text = minimalConfig();
  text.replace(text.find("plugins: {directories: []}\n"), 27, plugins);
  const std::string path = writeConfig(dir, text);
  auto result = runProcess(kPaymentd, {"--config=" + path, "--check-config"});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_TRUE(std::regex_search(
      result.err, std::regex(R"(paymentd\.yaml:12:\d+: plugin 'first-billing' \(.*\) has no )"
                             R"(config key 'renewal_payment_type')")))
      << result.err;
}

TEST(PaymentdCli, CheckConfigRefusesAYamlSyntaxErrorWithFileLineColumn) {
  testing::TempDir dir;
  const std::string path = writeConfig(dir, "http:\n  listen: [\"a\"\nstorage: x\n");
  auto result = runProcess(kPaymentd, {"--config=" + path, "--check-config"});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_TRUE(
      std::regex_search(result.err, std::regex(R"(paymentd\.yaml:\d+:\d+: YAML syntax error: )")))
      << result.err;
}

// --check-config with a deadline: a file that blocks (a FIFO) must not hang it.
testing::ProcessResult checkConfigWithin(const testing::TempDir& dir, const std::string& config,
                                         std::chrono::seconds deadline = std::chrono::seconds(20)) {
  const std::string err_file = (dir.path() / "check-config.err").string();
  testing::BackgroundProcess process(kPaymentd, {"--config=" + config, "--check-config"}, err_file);
  testing::ProcessResult result;
  result.exit_code = process.waitFor(deadline);
  result.err = process.stderrText();
  return result;
}

std::string makeFifo(const testing::TempDir& dir, const std::string& name) {
  const std::string path = (dir.path() / name).string();
  EXPECT_EQ(mkfifo(path.c_str(), 0600), 0);
  return path;
}

// A path in the config may name anything; only a regular file of a bounded size is read,
// and anything else is a config error (exit 78) at once, at the key that names it.
TEST(PaymentdCli, CheckConfigRefusesADirectoryOrAFifoAsTheConfigFile) {
  testing::TempDir dir;
  const std::string directory = dir.path().string();
  auto result = checkConfigWithin(dir, directory);
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find(directory + ":1:1: cannot read config file: a directory, not a "
                                        "regular file"),
            std::string::npos)
      << result.err;

  const std::string fifo = makeFifo(dir, "paymentd.yaml");
  result = checkConfigWithin(dir, fifo);
  EXPECT_EQ(result.exit_code, 78) << "a FIFO hung or crashed --check-config: " << result.err;
  EXPECT_NE(result.err.find(fifo + ":1:1: cannot read config file: a FIFO, not a regular file"),
            std::string::npos)
      << result.err;
}

TEST(PaymentdCli, CheckConfigRefusesSpecialFilesAsCatalogAndSecretsAtTheirKeys) {
  testing::TempDir dir;
  makeFifo(dir, "webhook-fifo");
  std::string text = minimalConfig();
  text.replace(text.find("\"api-secret\""), 12, "\"/dev/zero\"");
  text.replace(text.find("\"webhook-secret\""), 16, "\"webhook-fifo\"");
  text.replace(text.find("\"plans.yaml\""), 12, "\".\"");
  const std::string path = writeConfig(dir, text);
  auto result = checkConfigWithin(dir, path);
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find(path + ":6:20: portone.api_secret_file: cannot read secret file "
                                   "/dev/zero: a character device, not a regular file"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(std::regex_search(
      result.err, std::regex(R"(paymentd\.yaml:7:\d+: portone\.webhook_secret_files\[0\]: cannot )"
                             R"(read secret file \S+/webhook-fifo: a FIFO, not a regular file)")))
      << result.err;
  EXPECT_NE(result.err.find(path + ":8:10: catalog: cannot read the plans catalog " +
                            dir.path().string() + "/: a directory, not a regular file"),
            std::string::npos)
      << result.err;
}

TEST(PaymentdCli, CheckConfigRefusesConfigCatalogAndSecretFilesOverTheirSize) {
  testing::TempDir dir;
  std::string text = minimalConfig();
  const std::string path = writeConfig(dir, text);
  dir.write("api-secret", std::string(65 * 1024, 'k') + "\n");
  dir.write("plans.yaml", kPlans + "#" + std::string(1024 * 1024, ' ') + "\n");
  auto result = checkConfigWithin(dir, path);
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find(path + ":6:20: portone.api_secret_file: cannot read secret file " +
                            (dir.path() / "api-secret").string() + ": larger than 65536 bytes"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(path + ":8:10: catalog: cannot read the plans catalog " +
                            (dir.path() / "plans.yaml").string() + ": larger than 1048576 bytes"),
            std::string::npos)
      << result.err;

  dir.write("paymentd.yaml", text + "#" + std::string(1024 * 1024, ' ') + "\n");
  result = checkConfigWithin(dir, path);
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find(path + ":1:1: cannot read config file: larger than 1048576 bytes"),
            std::string::npos)
      << result.err;
}

TEST(PaymentdCli, RunRefusesABadPluginAndDoesNotStart) {
  testing::TempDir dir;
  const std::string path = dir.write(
      "paymentd.yaml",
      minimalConfig("").replace(minimalConfig("").find("plugins: {directories: []}"), 26,
                                "plugins: {directories: [\"" +
                                    std::string(PAYMENTD_TEST_PLUGIN_DIR) + "/no_descriptor\"]}"));
  auto result = runProcess(kPaymentd, {"--config=" + path});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("no_descriptor.so: not a paymentd plugin"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("listening"), std::string::npos);
}

TEST(PaymentdCli, PrintsItsVersion) {
  auto result = runProcess(kPaymentd, {"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(
      std::regex_match(result.out, std::regex(R"(paymentd \d+\.\d+\.\d+ \(plugin API 1\.2\)\n)")))
      << result.out;
}

TEST(PaymentdCli, RefusesAnUnknownCommand) {
  auto result = runProcess(kPaymentd, {"--config=" + kShippedConfig, "frobnicate"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_EQ(result.err, "paymentd: unknown command 'frobnicate' (see --help)\n");
}

TEST(PaymentdCli, SigtermLetsTheRequestInFlightFinishThenExitsZero) {
  testing::TempDir dir;
  const std::string config = writeConfig(dir, minimalConfig());
  testing::BackgroundProcess daemon(kPaymentd, {"--config=" + config},
                                    (dir.path() / "log").string());
  ASSERT_TRUE(testing::waitForOutput(daemon, "listening on", std::chrono::seconds(20)))
      << daemon.stderrText();
  std::smatch port_match;
  const std::string log = daemon.stderrText();
  ASSERT_TRUE(std::regex_search(log, port_match, std::regex(R"(listening on 127\.0\.0\.1:(\d+))")));
  const auto port = static_cast<std::uint16_t>(std::stoi(port_match[1]));

  // A request whose body is still arriving when SIGTERM comes.
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  const std::string head =
      "POST /api/v1/payment/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabcde";
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  daemon.signal(SIGTERM);
  ASSERT_TRUE(testing::waitForOutput(daemon, "stopping: draining", std::chrono::seconds(10)));
  EXPECT_EQ(daemon.waitFor(std::chrono::milliseconds(300)), -1)
      << "exited with a request in flight";

  socket.sendBytes("fghij", 5);
  std::string response;
  char buffer[1024];
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
    response.append(buffer, static_cast<std::size_t>(n));
  EXPECT_EQ(response.rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u)
      << response;  // answered, not cut off
  EXPECT_TRUE(
      std::regex_search(response, std::regex("\r\nConnection: close\r\n", std::regex::icase)))
      << response;

  EXPECT_EQ(daemon.waitFor(std::chrono::seconds(10)), 0) << daemon.stderrText();
  EXPECT_NE(daemon.stderrText().find("msg=stopped"), std::string::npos);
}

TEST(PaymentdCli, SighupSwapsInAGoodPluginSetAndRefusesABadOne) {
  testing::TempDir dir;
  const std::string plugins =
      "plugins: {directories: [\"" + std::string(PAYMENTD_TEST_PLUGIN_DIR) +
      "/good\"], validators: [{plugin: good-validator, config: {limit: \"5\"}}]";
  std::string base = minimalConfig();
  base.erase(base.find("plugins: {directories: []}"));
  const std::string config = writeConfig(dir, base + plugins + "}\n");
  testing::BackgroundProcess daemon(kPaymentd, {"--config=" + config},
                                    (dir.path() / "log").string());
  ASSERT_TRUE(testing::waitForOutput(daemon, "listening on", std::chrono::seconds(20)))
      << daemon.stderrText();

  writeConfig(dir, base + plugins + ", procesors: {}}\n");  // a typo
  daemon.signal(SIGHUP);
  ASSERT_TRUE(
      testing::waitForOutput(daemon, "reload refused result=refused", std::chrono::seconds(10)))
      << daemon.stderrText();
  // The typo's column depends on the plugin directory's length (build or build-asan).
  const std::string column = std::to_string((plugins + ", procesors").find("procesors") + 1);
  EXPECT_NE(daemon.stderrText().find("reload refused: " + config + ":9:" + column +
                                     ": unknown key 'procesors' in plugins"),
            std::string::npos)
      << daemon.stderrText();

  writeConfig(dir, base + plugins + ", processors: {FIRST_BILLING: good-processor}}\n");
  daemon.signal(SIGHUP);
  ASSERT_TRUE(testing::waitForOutput(daemon, "msg=\"reloaded result=", std::chrono::seconds(10)))
      << daemon.stderrText();
  EXPECT_NE(daemon.stderrText().find("; processor good-processor@1.0.0 for FIRST_BILLING ("),
            std::string::npos);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.waitFor(std::chrono::seconds(10)), 0) << daemon.stderrText();
}

TEST(PaymentdCli, TellsSystemdItIsReadyOnlyOnceListening) {
  testing::TempDir dir;
  const std::string config = writeConfig(dir, minimalConfig());
  // The notify socket systemd would create for a Type=notify service.
  const std::string socket_path = (dir.path() / "notify").string();
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  socket_path.copy(address.sun_path, sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  timeval timeout{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
  testing::BackgroundProcess daemon(kPaymentd, {"--config=" + config},
                                    (dir.path() / "log").string());
  ::unsetenv("NOTIFY_SOCKET");

  char buffer[512];
  const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  ASSERT_GT(n, 0) << daemon.stderrText();
  const std::string ready(buffer, static_cast<std::size_t>(n));
  EXPECT_TRUE(
      std::regex_match(ready, std::regex(R"(READY=1\nSTATUS=listening on 127\.0\.0\.1:\d+)")))
      << ready;
  EXPECT_NE(daemon.stderrText().find("listening on"), std::string::npos);

  daemon.signal(SIGTERM);
  const ssize_t m = ::recv(fd, buffer, sizeof buffer, 0);
  ASSERT_GT(m, 0);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(m)), "STOPPING=1");
  EXPECT_EQ(daemon.waitFor(std::chrono::seconds(10)), 0);
  ::close(fd);
}

// WatchdogSec= set: the pings come, each after the daemon answered its own /healthz.
TEST(PaymentdCli, PingsTheWatchdogWhileTheListenerAnswers) {
  testing::TempDir dir;
  const std::string config = writeConfig(dir, minimalConfig());
  const std::string socket_path = (dir.path() / "notify").string();
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  socket_path.copy(address.sun_path, sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  timeval timeout{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
  ::setenv("WATCHDOG_USEC", "600000", 1);  // a ping every 300 ms
  testing::BackgroundProcess daemon(kPaymentd, {"--config=" + config},
                                    (dir.path() / "log").string());
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");

  char buffer[512];
  int pings = 0;
  for (int i = 0; i < 10 && pings < 3; ++i) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    ASSERT_GT(n, 0) << daemon.stderrText();
    if (std::string(buffer, static_cast<std::size_t>(n)) == "WATCHDOG=1") ++pings;
  }
  EXPECT_EQ(pings, 3) << daemon.stderrText();
  EXPECT_EQ(daemon.stderrText().find("watchdog: GET /healthz did not answer"), std::string::npos)
      << daemon.stderrText();
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.waitFor(std::chrono::seconds(10)), 0);
  ::close(fd);
}

}  // namespace
}  // namespace paymentd
