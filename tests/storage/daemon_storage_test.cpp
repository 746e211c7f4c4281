// The real paymentd binary on a fresh database of each backend: it migrates and
// syncs the catalog before it listens, refuses a newer schema, and
// `coupon issue` writes a coupon row.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "storage/migrations.h"
#include "storage/test_database.h"
#include "support/subprocess.h"

namespace paymentd::storage {
namespace {

using paymentd::testing::queryInt;
using paymentd::testing::queryText;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename B>
class DaemonStorage : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(B::kBackend);
    db_ = std::make_unique<paymentd::testing::TestDatabase>(B::kBackend);
    const auto& dir = db_->dir();
    dir.write("api-secret", "secret\n");
    dir.write("webhook-secret", "whsec_c2VjcmV0\n");
    dir.write("plans.yaml", readFile(std::string(PAYMENTD_SOURCE_DIR) + "/config/plans.yaml"));
    config_ = dir.write("paymentd.yaml",
                        "http: {listen: \"127.0.0.1:0\"}\n"
                        "storage: \"" +
                            db_->url() +
                            "\"\n"
                            "portone:\n"
                            "  api_base: \"http://127.0.0.1:9\"\n"
                            "  store_id: \"store-test\"\n"
                            "  api_secret_file: \"api-secret\"\n"
                            "  webhook_secret_files: [\"webhook-secret\"]\n"
                            "catalog: \"plans.yaml\"\n");
  }

  paymentd::testing::ProcessResult paymentd(std::vector<std::string> args) {
    args.insert(args.begin(), "--config=" + config_);
    return paymentd::testing::runProcess(PAYMENTD_EXECUTABLE, args);
  }

  std::unique_ptr<paymentd::testing::TestDatabase> db_;
  std::string config_;
};

using Backends =
    ::testing::Types<paymentd::testing::SqliteBackend, paymentd::testing::PostgresBackend>;
TYPED_TEST_SUITE(DaemonStorage, Backends, paymentd::testing::BackendNames);

TYPED_TEST(DaemonStorage, MigratesAndSyncsTheCatalogBeforeItListens) {
  const std::string log = (this->db_->dir().path() / "paymentd.log").string();
  paymentd::testing::BackgroundProcess daemon(PAYMENTD_EXECUTABLE, {"--config=" + this->config_},
                                              log);
  ASSERT_TRUE(paymentd::testing::waitForOutput(daemon, "listening on", std::chrono::seconds(20)))
      << daemon.stderrText();
  const std::string text = daemon.stderrText();
  EXPECT_NE(
      text.find("schema_version=" + std::to_string(latestSchemaVersion()) + " migrated_from=0"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("synced: plans=4 retired=0 deleted=0"), std::string::npos) << text;
  EXPECT_EQ(text.find("password"), std::string::npos);

  std::smatch port;
  ASSERT_TRUE(std::regex_search(text, port, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)")));
  Poco::Net::HTTPClientSession client("127.0.0.1", static_cast<Poco::UInt16>(std::stoi(port[1])));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/readyz");
  client.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(client.receiveResponse(response), body);
  EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << body;

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.waitFor(std::chrono::seconds(20)), 0) << daemon.stderrText();

  auto database = this->db_->open();
  EXPECT_EQ(queryInt(*database, "SELECT MAX(version) FROM schema_migrations"),
            latestSchemaVersion());
  EXPECT_EQ(queryInt(*database, "SELECT COUNT(*) FROM plans"), 4);
  EXPECT_EQ(queryInt(*database, "SELECT price FROM plans WHERE id = 'yearly-8'"), 89000);
  EXPECT_EQ(queryInt(*database, "SELECT months FROM plans WHERE id = 'yearly-8'"), 12);
  EXPECT_EQ(queryInt(*database, "SELECT COUNT(*) FROM plans WHERE id = 'trial' AND trial"), 1);
}

TYPED_TEST(DaemonStorage, IssuesCouponsIntoTheDatabase) {
  const auto issued =
      this->paymentd({"coupon", "issue", "--user=user-7", "--discount=5000", "--id=cpn-welcome"});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  EXPECT_EQ(issued.out, "cpn-welcome\n");

  const auto again =
      this->paymentd({"coupon", "issue", "--user=user-8", "--discount=1", "--id=cpn-welcome"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, "paymentd: coupon cpn-welcome already exists\n");

  const auto generated = this->paymentd({"coupon", "issue", "--user=user-9", "--discount=700"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  ASSERT_EQ(generated.out.rfind("cpn-", 0), 0u) << generated.out;
  const std::string generated_id = generated.out.substr(0, generated.out.size() - 1);

  const auto bad = this->paymentd({"coupon", "issue", "--user=user-9", "--discount=-5"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--discount=WON"), std::string::npos) << bad.err;

  auto database = this->db_->open();
  EXPECT_EQ(queryInt(*database, "SELECT COUNT(*) FROM coupons"), 2);
  EXPECT_EQ(queryText(*database, "SELECT user_id FROM coupons WHERE id = 'cpn-welcome'"), "user-7");
  EXPECT_EQ(queryInt(*database, "SELECT discount FROM coupons WHERE id = 'cpn-welcome'"), 5000);
  EXPECT_EQ(queryInt(*database, "SELECT COUNT(*) FROM coupons WHERE used_by_payment_id IS NULL"),
            2);
  EXPECT_EQ(queryInt(*database, "SELECT discount FROM coupons WHERE id = '" + generated_id + "'"),
            700);
}

TYPED_TEST(DaemonStorage, ListsDeadOutboxItemsAndRetriesOneOnRequest) {
  {
    auto database = this->db_->open();
    migrate(*database);  // as the daemon's first start does
    paymentd::testing::execute(
        *database,
        "INSERT INTO outbox (kind, dedupe_key, payload, status, attempts, due_at_us, last_error, "
        "created_at_us, updated_at_us) VALUES ('notify', 'notice:a', '{}', 'DEAD', 10, 0, "
        "'slack answered 404: channel_not_found', 0, 0), ('notify', 'notice:b', '{}', 'DONE', 1, "
        "0, NULL, 0, 0)");
  }
  const auto dead = this->paymentd({"outbox", "list", "--dead"});
  ASSERT_EQ(dead.exit_code, 0) << dead.err;
  EXPECT_EQ(dead.out,
            "ID\tKIND\tSTATUS\tATTEMPTS\tDUE (KST)\tKEY\tLAST ERROR\n"
            "1\tnotify\tDEAD\t10\t1970-01-01 09:00\tnotice:a\tslack answered 404: "
            "channel_not_found\n");
  const auto all = this->paymentd({"outbox", "list"});
  EXPECT_NE(all.out.find("2\tnotify\tDONE\t1"), std::string::npos) << all.out;

  const auto retried = this->paymentd({"outbox", "retry", "1"});
  ASSERT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(retried.out, "outbox item 1 is pending again, due now\n");
  auto database = this->db_->open();
  EXPECT_EQ(queryText(*database, "SELECT status FROM outbox WHERE id = 1"), "PENDING");
  EXPECT_EQ(queryInt(*database, "SELECT attempts FROM outbox WHERE id = 1"), 0);

  const auto done = this->paymentd({"outbox", "retry", "2"});
  EXPECT_EQ(done.exit_code, 1);
  EXPECT_EQ(done.err, "paymentd: outbox item 2 does not exist or is done\n");
  EXPECT_EQ(this->paymentd({"outbox", "retry", "x"}).exit_code, 64);
  EXPECT_EQ(this->paymentd({"outbox", "purge"}).exit_code, 64);
}

// trace and outbox list only look: before the daemon's first start there is
// nothing to look at, and they say so instead of creating an empty database.
TYPED_TEST(DaemonStorage, ReadOnlyCommandsNeverCreateOrMigrateADatabase) {
  std::string sqlite_file;
  if (this->db_->url().rfind("sqlite:", 0) == 0) sqlite_file = this->db_->url().substr(7);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"trace", "pay-1"}, std::vector<std::string>{"outbox", "list"}}) {
    const auto looked = this->paymentd(command);
    EXPECT_EQ(looked.exit_code, 66) << command[0] << ": " << looked.err;
    EXPECT_NE(looked.err.find("paymentd: no paymentd database at "), std::string::npos)
        << looked.err;
  }
  if (!sqlite_file.empty()) {
    EXPECT_FALSE(std::filesystem::exists(sqlite_file)) << "a read-only command created it";
  } else {
    auto database = this->db_->open();
    EXPECT_EQ(queryInt(*database,
                       "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = "
                       "'schema_migrations'"),
              0);
  }
  auto database = this->db_->open();
  migrate(*database, 1);  // an older paymentd's schema: the new daemon has not started yet
  const auto old = this->paymentd({"outbox", "list"});
  EXPECT_EQ(old.exit_code, 66) << old.err;
  EXPECT_NE(old.err.find("has schema version 1, older than this paymentd's"), std::string::npos)
      << old.err;
}

TYPED_TEST(DaemonStorage, TraceWithoutAPaymentIdIsAUsageError) {
  const auto bare = this->paymentd({"trace"});
  EXPECT_EQ(bare.exit_code, 64);
  EXPECT_EQ(bare.err, "paymentd: usage: trace PAYMENT_ID [--json] (one payment id)\n");
}

TYPED_TEST(DaemonStorage, RefusesToStartOnANewerSchemaWithOneLine) {
  {
    auto database = this->db_->open();
    migrate(*database);
    paymentd::testing::execute(
        *database,
        "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (999, 'x', 0)");
  }
  const auto started = this->paymentd({});
  EXPECT_EQ(started.exit_code, 78);  // a config problem: restarting cannot help
  const std::string expected = "has schema version 999, newer than this paymentd knows (" +
                               std::to_string(latestSchemaVersion()) +
                               "); upgrade paymentd or point it at another database";
  EXPECT_NE(started.err.find(expected), std::string::npos) << started.err;
  EXPECT_EQ(started.err.find("listening on"), std::string::npos) << started.err;
}

TEST(DaemonStorageConfig, CheckConfigTouchesNoDatabase) {
  paymentd::testing::TempDir dir;
  dir.write("api-secret", "secret\n");
  dir.write("webhook-secret", "whsec_c2VjcmV0\n");
  dir.write("plans.yaml", readFile(std::string(PAYMENTD_SOURCE_DIR) + "/config/plans.yaml"));
  const std::string config =
      dir.write("paymentd.yaml",
                "storage: \"postgresql://paymentd:hunter2@127.0.0.1:1/paymentd\"\n"
                "portone: {api_base: \"http://127.0.0.1:9\", store_id: s, "
                "api_secret_file: api-secret, webhook_secret_files: [webhook-secret]}\n"
                "catalog: plans.yaml\n");
  const auto checked =
      paymentd::testing::runProcess(PAYMENTD_EXECUTABLE, {"--config=" + config, "--check-config"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;

  dir.write("paymentd.yaml",
            "storage: \"postgresql://paymentd:hunter2@127.0.0.1:1/paymentd?sslmod=require\"\n"
            "storage_pool_size: 0\n"
            "portone: {api_base: \"http://127.0.0.1:9\", store_id: s, "
            "api_secret_file: api-secret, webhook_secret_files: [webhook-secret]}\n"
            "catalog: plans.yaml\n");
  const auto bad =
      paymentd::testing::runProcess(PAYMENTD_EXECUTABLE, {"--config=" + config, "--check-config"});
  EXPECT_EQ(bad.exit_code, 78);
  EXPECT_NE(
      bad.err.find(config + ":1:10: the storage URL is not one libpq accepts: invalid URI query "
                            "parameter: \"sslmod\""),
      std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find(config +
                         ":2:20: the config.storage_pool_size must be between 1 and 1024, found 0"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(bad.err.find("hunter2"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace paymentd::storage
