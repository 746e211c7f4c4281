// DatabaseOptions from the config: pool size and the password file.
#include "storage/storage_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <stdexcept>
#include <utility>
#include <vector>

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

// Issue 20: the password file is read like every other secret: a regular file
// of at most 64 KiB, refused at once (never read endlessly, never waited on).
TEST(StorageConfig, RefusesAPasswordFileThatIsNotASmallRegularFile) {
  paymentd::testing::TempDir dir;
  const std::string root = dir.path().string();
  const std::string fifo = root + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string big = dir.write("big", "s3cret\n" + std::string(70 * 1024, 'x') + "\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {root, "a directory, not a regular file"},
      {"/dev/zero", "a character device, not a regular file"},
      {fifo, "a FIFO, not a regular file"},
      {big, "larger than 65536 bytes"},
  };
  for (const auto& [path, problem] : cases) {
    config::Config config;
    config.storage_password_file = path;
    try {
      databaseOptions(config);
      ADD_FAILURE() << "read " << path;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()),
                "cannot read storage_password_file " + path + ": " + problem);
    }
  }
}

TEST(StorageConfig, NoPasswordFileMeansNoPassword) {
  EXPECT_FALSE(databaseOptions(config::Config{}).password.has_value());
}

}  // namespace
}  // namespace paymentd::storage
