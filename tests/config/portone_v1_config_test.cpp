// portone.v1: PortOne's V1 API, read as strictly as the rest of the config.
#include <gtest/gtest.h>

#include "config/config.h"
#include "loaded_config.h"
#include "support/temp_dir.h"

namespace paymentd::config {
namespace {

const std::string kHead = R"(storage: "sqlite:data/paymentd.db"
catalog: "plans.yaml"
portone:
  api_base: "https://api.portone.io"
  store_id: "store-1"
  api_secret_file: "secrets/api"
  webhook_secret_files: ["secrets/webhook"]
)";

TEST(PortOneV1Config, IsAbsentWhenNotConfigured) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kHead);
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  EXPECT_FALSE(loaded.config->portone.v1);
}

TEST(PortOneV1Config, ReadsTheBaseAndResolvesTheKeyAndSecretFiles) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kHead + R"(  v1:
    api_base: "https://api.iamport.kr"
    imp_key_file: "secrets/imp-key"
    imp_secret_file: "/etc/paymentd/imp-secret"
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  ASSERT_TRUE(loaded.config->portone.v1);
  const PortOneV1Config& v1 = *loaded.config->portone.v1;
  EXPECT_EQ(v1.api_base, "https://api.iamport.kr");
  EXPECT_EQ(v1.imp_key_file, dir.path().string() + "/secrets/imp-key");
  EXPECT_EQ(v1.imp_secret_file, "/etc/paymentd/imp-secret");
}

TEST(PortOneV1Config, RefusesAnUnknownKeyAMissingOneAndAPlainHttpBase) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kHead + R"(  v1:
    api_base: "ftp://api.iamport.kr"
    imp_key_file: "secrets/imp-key"
    imp_secert_file: "secrets/imp-secret"
)");
  EXPECT_FALSE(loaded.config);
  ASSERT_EQ(loaded.problems.size(), 3u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path +
                ":9:15: portone.v1.api_base must start with https:// (or http:// for a loopback "
                "sandbox)");
  EXPECT_EQ(loaded.problems[1],
            loaded.path + ":9:5: missing required key 'imp_secret_file' in portone.v1");
  EXPECT_EQ(loaded.problems[2], loaded.path + ":11:5: unknown key 'imp_secert_file' in portone.v1");
}

}  // namespace
}  // namespace paymentd::config
