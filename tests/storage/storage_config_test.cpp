// DatabaseOptions from the config: pool size and the password file.
#include "storage/storage_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/temp_dir.h"

namespace paymentd::storage {
namespace {

TEST(StorageConfig, ReadsTheFirstLineOfThePasswordFile) {
  paymentd::testing::TempDir dir;
  config::Config config;
  config.storage = "postgresql://paymentd@db:5432/paymentd";
  config.storage_pool_size = 3;
  config.storage_password_file = dir.write("db-password", "s3cret\nignored\n");
  const DatabaseOptions options = databaseOptions(config);
  EXPECT_EQ(options.pool_size, 3u);
  EXPECT_EQ(options.password, std::optional<std::string>("s3cret"));
}

TEST(StorageConfig, NamesAMissingPasswordFileButNeverItsContent) {
  config::Config config;
  config.storage_password_file = "/nonexistent/db-password";
  try {
    databaseOptions(config);
    FAIL() << "read a missing file";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "cannot read storage_password_file /nonexistent/db-password: No such file or directory");
  }
}

TEST(StorageConfig, NoPasswordFileMeansNoPassword) {
  EXPECT_FALSE(databaseOptions(config::Config{}).password.has_value());
}

}  // namespace
}  // namespace paymentd::storage
