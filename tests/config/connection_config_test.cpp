// The database and lock URLs, and their password files, are checked where the
// config is read: whatever the start would refuse is a problem at its key first.
#include <gtest/gtest.h>

#include "config/config.h"
#include "loaded_config.h"
#include "support/temp_dir.h"

namespace paymentd::config {
namespace {

const std::string kPortOne = R"(portone:
  api_base: "https://api.portone.io"
  store_id: "store-1"
  api_secret_file: "secrets/api"
  webhook_secret_files: ["secrets/webhook"]
catalog: "plans.yaml"
)";

// The head of a config, completed with the portone section.
Loaded loadWithPortOne(const testing::TempDir& dir, const std::string& head) {
  return load(dir, head + kPortOne);
}

TEST(ConnectionConfig, TakesALibpqUrlWithParametersAndARedisLockWithItsPasswordFile) {
  testing::TempDir dir;
  dir.write("redis-password", "s3cret\n");
  dir.write("db-password", "s3cret\n");
  Loaded loaded =
      loadWithPortOne(dir,
                      "storage: \"postgres://pay@db:5432/pay?sslmode=verify-full&sslrootcert=/etc/"
                      "ssl/db.pem\"\n"
                      "storage_password_file: db-password\n"
                      "lock: \"unix:/run/redis/redis-server.sock?db=1\"\n"
                      "lock_password_file: redis-password\n");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  EXPECT_EQ(loaded.config->lock_password_file, (dir.path() / "redis-password").string());
  EXPECT_EQ(loaded.config->storage_password_file, (dir.path() / "db-password").string());
}

TEST(ConnectionConfig, RefusesAPasswordInTheLockUrlWithoutEchoingIt) {
  testing::TempDir dir;
  Loaded loaded = loadWithPortOne(
      dir, "storage: \"sqlite:x.db\"\nlock: \"redis://:hunter2@10.0.0.5:6379/0\"\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path +
                                    ":2:7: lock: the lock URL must not hold a password: put it in "
                                    "the file lock_password_file names");
}

TEST(ConnectionConfig, RefusesALockUrlTheLockCannotUse) {
  testing::TempDir dir;
  Loaded loaded =
      loadWithPortOne(dir, "storage: \"sqlite:x.db\"\nlock: \"redis://10.0.0.5:99999/0\"\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path + ":2:7: lock: bad port in the lock URL");
}

TEST(ConnectionConfig, RefusesAPasswordFileThatCannotBeReadOrDoesNotApply) {
  testing::TempDir dir;
  Loaded loaded = loadWithPortOne(dir,
                                  "storage: \"sqlite:x.db\"\n"
                                  "storage_password_file: missing-db\n"
                                  "lock_password_file: /dev/null\n");
  ASSERT_EQ(loaded.problems.size(), 4u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path + ":2:24: storage_password_file applies to postgresql:// storage only");
  EXPECT_EQ(loaded.problems[1],
            loaded.path + ":2:24: storage_password_file: cannot read password file " +
                (dir.path() / "missing-db").string() + ": No such file or directory");
  EXPECT_EQ(loaded.problems[2],
            loaded.path + ":3:21: lock_password_file applies to a Redis lock only");
  EXPECT_EQ(loaded.problems[3], loaded.path +
                                    ":3:21: lock_password_file: cannot read password file "
                                    "/dev/null: a character device, not a regular file");
}

TEST(ConnectionConfig, RefusesAStorageParameterLibpqDoesNotKnow) {
  testing::TempDir dir;
  Loaded loaded =
      loadWithPortOne(dir, "storage: \"postgresql://pay:hunter2@db/pay?sslmod=require\"\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(
      loaded.problems[0].rfind(loaded.path + ":1:10: the storage URL is not one libpq accepts", 0),
      0u)
      << loaded.problems[0];
  EXPECT_EQ(loaded.problems[0].find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace paymentd::config
