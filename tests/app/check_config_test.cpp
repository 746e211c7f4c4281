// --check-config refuses what the start refuses, first; the start refuses it
// before it touches the database; and the packaged layout is checkable from a
// shell with --credentials-dir.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace paymentd {
namespace {

using testing::runProcess;

const std::string kPaymentd = PAYMENTD_EXECUTABLE;

// A config whose secrets live where the unit's credentials would, and whose
// SQLite file shows whether the start got as far as the database.
std::string writeConfig(const testing::TempDir& dir, const std::string& extra,
                        const std::string& plugins = "plugins: {directories: []}\n") {
  dir.write("plans.yaml",
            "- {id: m, name: M, price: 1000, months: 1, lessons_per_month: 4, trial: false}\n");
  dir.write("credentials/portone-api-secret", "test-api-secret\n");
  dir.write("credentials/portone-webhook-secret",
            "whsec_dGVzdC13ZWJob29rLXNlY3JldC0xMjM0NTY3OA==\n");
  return dir.write("paymentd.yaml",
                   "http: {listen: \"127.0.0.1:0\"}\n"
                   "storage: \"sqlite:paymentd.db\"\n"
                   "portone:\n"
                   "  api_base: \"https://api.portone.io\"\n"
                   "  store_id: \"store-1\"\n"
                   "  api_secret_file: \"${CREDENTIALS_DIRECTORY}/portone-api-secret\"\n"
                   "  webhook_secret_files: [\"${CREDENTIALS_DIRECTORY}/portone-webhook-secret\"]\n"
                   "catalog: \"plans.yaml\"\n" +
                       plugins + extra);
}

class CheckConfig : public ::testing::Test {
 protected:
  void SetUp() override { ::unsetenv("CREDENTIALS_DIRECTORY"); }
};

TEST_F(CheckConfig, CredentialsDirStandsInForTheUnitsCredentials) {
  testing::TempDir dir;
  const std::string path = writeConfig(dir, "");
  const auto bare = runProcess(kPaymentd, {"--config=" + path, "--check-config"});
  EXPECT_EQ(bare.exit_code, 78);
  EXPECT_NE(bare.err.find(path + ":6:20: portone.api_secret_file uses ${CREDENTIALS_DIRECTORY}, "
                                 "which is not set in the environment (the unit sets it; "
                                 "outside the unit pass --credentials-dir="),
            std::string::npos)
      << bare.err;
  const auto checked = runProcess(
      kPaymentd, {"--config=" + path, "--credentials-dir=" + (dir.path() / "credentials").string(),
                  "--check-config"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_EQ(checked.out.rfind(path + ": ok\n", 0), 0u) << checked.out;
}

// What was seen: a Redis URL with a password passed the check, then the start
// refused it after migrating the database, and systemd restarted it in a loop.
TEST_F(CheckConfig, ALockUrlTheStartWouldRefuseIsRefusedByBothBeforeTheDatabase) {
  testing::TempDir dir;
  const std::string path = writeConfig(dir, "lock: \"redis://:hunter2@127.0.0.1:6379/0\"\n");
  const std::string credentials = "--credentials-dir=" + (dir.path() / "credentials").string();
  const std::string expected =
      path +
      ":10:7: lock: the lock URL must not hold a password: put it in the file lock_password_file "
      "names";
  const auto checked = runProcess(kPaymentd, {"--config=" + path, credentials, "--check-config"});
  EXPECT_EQ(checked.exit_code, 78);
  EXPECT_NE(checked.err.find(expected), std::string::npos) << checked.err;
  const auto started = runProcess(kPaymentd, {"--config=" + path, credentials});
  EXPECT_EQ(started.exit_code, 78);
  EXPECT_NE(started.err.find(expected), std::string::npos) << started.err;
  EXPECT_EQ(started.err.find("hunter2"), std::string::npos) << started.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "paymentd.db")) << "the start touched it";
}

TEST_F(CheckConfig, AnUnreadableLockPasswordFileIsAConfigProblemAtItsKey) {
  testing::TempDir dir;
  const std::string path = writeConfig(dir,
                                       "lock: \"redis://127.0.0.1:6379/0\"\n"
                                       "lock_password_file: \"${CREDENTIALS_DIRECTORY}/redis\"\n");
  const auto checked = runProcess(
      kPaymentd, {"--config=" + path, "--credentials-dir=" + (dir.path() / "credentials").string(),
                  "--check-config"});
  EXPECT_EQ(checked.exit_code, 78);
  EXPECT_NE(checked.err.find(path + ":11:21: lock_password_file: cannot read password file "),
            std::string::npos)
      << checked.err;
}

// A canary names a plugin as the primary does; one that is not loaded is
// refused where it is written, for every kind, before anything starts.
TEST_F(CheckConfig, RefusesAValidatorOrNotifierCanaryThatIsNotLoadedAtItsEntry) {
  testing::TempDir dir;
  const std::string plugins = std::string(PAYMENTD_TEST_PLUGIN_DIR) + "/canaries";
  const std::string path =
      writeConfig(dir, "",
                  "plugins:\n"
                  "  directories: [\"" +
                      plugins +
                      "\"]\n"
                      "  validators:\n"
                      "    - plugin: good-validator@2.0.0\n"
                      "      config: {limit: \"100\"}\n"
                      "      canary: {plugin: good-validator@3.0.0, percent: 5}\n"
                      "  notifiers:\n"
                      "    admin_slack:\n"
                      "      plugin: good-notifier@2.0.0\n"
                      "      canary: {plugin: good-notifier@1.0.0, users: [\"42\"]}\n");
  const std::string credentials = "--credentials-dir=" + (dir.path() / "credentials").string();
  const auto checked = runProcess(kPaymentd, {"--config=" + path, credentials, "--check-config"});
  EXPECT_EQ(checked.exit_code, 78);
  EXPECT_NE(checked.err.find(path + ":14:15: no plugin 'good-validator@3.0.0' in " + plugins),
            std::string::npos)
      << checked.err;
  EXPECT_NE(checked.err.find(path + ":18:15: no plugin 'good-notifier@1.0.0' in " + plugins),
            std::string::npos)
      << checked.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "paymentd.db")) << "the start touched it";

  // The same canaries, loaded: accepted, and listed with their share.
  const std::string good = writeConfig(
      dir, "",
      "plugins:\n"
      "  directories: [\"" +
          plugins +
          "\"]\n"
          "  validators:\n"
          "    - plugin: good-validator@2.0.0\n"
          "      config: {limit: \"100\"}\n"
          "      canary: {plugin: good-validator@2.0.0, config: {limit: \"5\"}, percent: 5}\n"
          "  notifiers:\n"
          "    admin_slack:\n"
          "      plugin: good-notifier@2.0.0\n"
          "      enabled: false\n"
          "      canary: {plugin: good-notifier@2.0.0, users: [\"42\"]}\n");
  const auto accepted = runProcess(kPaymentd, {"--config=" + good, credentials, "--check-config"});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_NE(accepted.out.find("validator good-validator@2.0.0 (" + plugins +
                              "/canary_validator.so), canary for 5% and 0 listed users"),
            std::string::npos)
      << accepted.out;
  EXPECT_NE(accepted.out.find("notifier good-notifier@2.0.0 for admin_slack (" + plugins +
                              "/canary_notifier.so), disabled"),
            std::string::npos)
      << accepted.out;
}

TEST_F(CheckConfig, ABadCommandLineIsAUsageError) {
  const auto unknown = runProcess(kPaymentd, {"--no-such-option"});
  EXPECT_EQ(unknown.exit_code, 64);
  EXPECT_NE(unknown.err.find("(see --help)"), std::string::npos) << unknown.err;
  const auto both = runProcess(kPaymentd, {"--check-config", "trace", "p-1"});
  EXPECT_EQ(both.exit_code, 64);
  EXPECT_EQ(both.err, "paymentd: --check-config takes no command\n");
}

TEST_F(CheckConfig, HelpListsTheCommandsAndTheExitStatus) {
  const auto help = runProcess(kPaymentd, {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* text : {"trace PAYMENT_ID", "outbox list", "outbox retry ID", "coupon issue",
                           "--credentials-dir", "64  bad command line", "78  a config problem"}) {
    EXPECT_NE(help.out.find(text), std::string::npos) << text << "\n" << help.out;
  }
}

}  // namespace
}  // namespace paymentd
