// The storage URL's parameters reach the server: TLS required, verified against
// a root certificate, refused against the wrong one, and a Unix socket as host.
// The test server has TLS on with a self-signed certificate (scripts/test-servers.sh).
#include <gtest/gtest.h>

#include "storage/errors.h"
#include "storage/test_database.h"
#include "support/test_servers.h"

namespace paymentd::storage {
namespace {

using paymentd::testing::queryInt;

constexpr const char* kSessionUsesTls =
    "SELECT CASE WHEN ssl THEN 1 ELSE 0 END FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

class PostgresUrl : public ::testing::Test {
 protected:
  void SetUp() override { PAYMENTD_REQUIRE_BACKEND(Backend::kPostgres); }
};

TEST_F(PostgresUrl, SslmodeRequireConnectsOverTls) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto required = Database::open(db.url() + "?sslmode=require", {});
  EXPECT_EQ(queryInt(*required, kSessionUsesTls), 1);
  auto plain = Database::open(db.url() + "?sslmode=disable", {});
  EXPECT_EQ(queryInt(*plain, kSessionUsesTls), 0);
}

TEST_F(PostgresUrl, VerifyFullChecksTheServerAgainstTheRootCertificate) {
  PAYMENTD_REQUIRE_SERVER(root_cert, "PAYMENTD_TEST_PG_ROOT_CERT");
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto verified = Database::open(db.url() + "?sslmode=verify-full&sslrootcert=" + root_cert, {});
  EXPECT_EQ(queryInt(*verified, kSessionUsesTls), 1);
  // Any other root (here: none at this path) and libpq refuses before a query is sent.
  EXPECT_ANY_THROW(Database::open(
      db.url() + "?sslmode=verify-full&sslrootcert=" + db.dir().path().string() + "/none.crt", {}));
}

TEST_F(PostgresUrl, ConnectsThroughAUnixSocketDirectory) {
  PAYMENTD_REQUIRE_SERVER(socket_dir, "PAYMENTD_TEST_PG_SOCKET_DIR");
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  // The TCP URL's host swapped for the socket directory, given as a parameter.
  const std::string url = db.url() + "?host=" + socket_dir;
  auto database = Database::open(url, {});
  EXPECT_EQ(queryInt(*database, "SELECT CASE WHEN inet_server_addr() IS NULL THEN 1 ELSE 0 END"),
            1);  // no server address: the session came through the socket
}

}  // namespace
}  // namespace paymentd::storage
