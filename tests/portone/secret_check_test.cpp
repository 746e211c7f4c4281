// --check-config's PortOne part: the new portone keys and the secret files.
#include "portone/secret_check.h"

#include <gtest/gtest.h>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace paymentd::portone {
namespace {

std::string configText(const std::string& portone_extra = "") {
  return "storage: \"sqlite:paymentd.db\"\n"
         "catalog: \"plans.yaml\"\n"
         "portone:\n"
         "  api_base: \"https://api.portone.io\"\n"
         "  store_id: \"store-1\"\n"
         "  api_secret_file: \"secrets/api\"\n"
         "  webhook_secret_files: [\"secrets/webhook-old\", \"secrets/webhook-new\"]\n" +
         portone_extra;
}

TEST(PortOneConfig, ReadsTimeoutsAndRejectsOutOfRangeOnes) {
  testing::TempDir dir;
  config::ConfigProblems problems;
  const auto config = config::loadConfig(
      dir.write("paymentd.yaml", configText("  connect_timeout_ms: 1500\n  read_timeout_ms: 8000\n"
                                            "  request_deadline_ms: 12000\n")),
      dir.path().string(), problems);
  ASSERT_TRUE(config) << (problems.empty() ? "" : problems.lines()[0]);
  EXPECT_EQ(config->portone.connect_timeout_ms, 1500);
  EXPECT_EQ(config->portone.read_timeout_ms, 8000);
  EXPECT_EQ(config->portone.request_deadline_ms, 12000);

  config::ConfigProblems bad;
  const auto path = dir.write("bad.yaml", configText("  read_timeout_ms: 0\n  retries: 3\n"));
  EXPECT_FALSE(config::loadConfig(path, dir.path().string(), bad));
  ASSERT_EQ(bad.lines().size(), 2u);
  EXPECT_NE(bad.lines()[0].find(path + ":8:"), std::string::npos) << bad.lines()[0];
  EXPECT_NE(bad.lines()[1].find(path + ":9:"), std::string::npos) << bad.lines()[1];
}

TEST(PortOneSecretCheck, ReportsEachUnusableSecretFileAtItsKeyWithoutItsContent) {
  testing::TempDir dir;
  dir.write("secrets/webhook-old", "whsec_pzQGE83cSIRKM4/WH5QY+g==\n");
  dir.write("secrets/webhook-new", "not-a-secret-VALUE\n");  // api secret file is missing
  const auto path = dir.write("paymentd.yaml", configText());
  config::ConfigProblems problems;
  const auto config = config::loadConfig(path, dir.path().string(), problems);
  ASSERT_TRUE(config);
  checkSecretFiles(config->portone, problems);
  ASSERT_EQ(problems.lines().size(), 2u);
  EXPECT_EQ(problems.lines()[0].rfind(
                path + ":6:20: portone.api_secret_file: cannot read secret file", 0),
            0u)
      << problems.lines()[0];
  EXPECT_EQ(problems.lines()[1].rfind(path + ":7:49: portone.webhook_secret_files[1]: ", 0), 0u)
      << problems.lines()[1];
  EXPECT_EQ(problems.lines()[1].find("not-a-secret-VALUE"), std::string::npos);
}

TEST(PortOneSecretCheck, ReportsAnUnreadableV1KeyOrSecretFileAtItsKey) {
  testing::TempDir dir;
  dir.write("secrets/api", "the-api-secret-VALUE\n");
  dir.write("secrets/webhook-old", "whsec_pzQGE83cSIRKM4/WH5QY+g==\n");
  dir.write("secrets/webhook-new", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  dir.write("secrets/imp-key", "   \n");  // only whitespace; the secret file is missing
  const auto path =
      dir.write("paymentd.yaml", configText("  v1:\n"
                                            "    api_base: \"https://api.iamport.kr\"\n"
                                            "    imp_key_file: \"secrets/imp-key\"\n"
                                            "    imp_secret_file: \"secrets/imp\"\n"));
  config::ConfigProblems problems;
  const auto config = config::loadConfig(path, dir.path().string(), problems);
  ASSERT_TRUE(config) << problems.lines().front();
  checkSecretFiles(config->portone, problems);
  ASSERT_EQ(problems.lines().size(), 2u);
  EXPECT_EQ(problems.lines()[0].rfind(path + ":10:19: portone.v1.imp_key_file: ", 0), 0u)
      << problems.lines()[0];
  EXPECT_EQ(problems.lines()[1].rfind(path + ":11:22: portone.v1.imp_secret_file: cannot read", 0),
            0u)
      << problems.lines()[1];
}

TEST(PortOneSecretCheck, CheckConfigFailsOnAMissingSecretAndPassesWhenAllAreThere) {
  testing::TempDir dir;
  dir.write("secrets/webhook-old", "whsec_pzQGE83cSIRKM4/WH5QY+g==\n");
  dir.write("secrets/webhook-new", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  dir.write("plans.yaml",
            "- {id: m, name: M, price: 1000, months: 1, lessons_per_month: 4, trial: false}\n");
  const auto path = dir.write("paymentd.yaml", configText());
  auto result =
      paymentd::testing::runProcess(PAYMENTD_EXECUTABLE, {"--config=" + path, "--check-config"});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find(path + ":6:20: portone.api_secret_file: cannot read secret file"),
            std::string::npos)
      << result.err;

  dir.write("secrets/api", "the-api-secret-VALUE\n");
  result =
      paymentd::testing::runProcess(PAYMENTD_EXECUTABLE, {"--config=" + path, "--check-config"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ((result.out + result.err).find("VALUE"), std::string::npos);
}

}  // namespace
}  // namespace paymentd::portone
