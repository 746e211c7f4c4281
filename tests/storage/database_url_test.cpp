// The storage URL as Poco Data needs it: libpq's parse of the URL, every
// parameter passed through, and never a password in what is logged.
#include "config/database_url.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace paymentd::storage {
namespace {

std::string reasonOf(const std::string& url) {
  try {
    parseDatabaseUrl(url, {});
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(DatabaseUrl, BuildsAPostgresConnectionStringWithoutLeakingThePassword) {
  const DatabaseTarget target =
      parseDatabaseUrl("postgresql://pay%40d:s3cr%2Ft@db.internal:6543/paymentd", {});
  EXPECT_EQ(target.backend, Backend::kPostgres);
  EXPECT_EQ(target.connector, "PostgreSQL");
  EXPECT_EQ(target.connection,
            "user=pay@d dbname=paymentd host=db.internal port=6543 connect_timeout=2 "
            "application_name=paymentd "
            "options=-cclient_min_messages=warning password=s3cr/t");
  EXPECT_EQ(target.display, "postgresql://pay%40d@db.internal:6543/paymentd");
  EXPECT_EQ(target.display.find("s3cr"), std::string::npos);
}

TEST(DatabaseUrl, TakesThePasswordFileOverTheUrlAndLeavesThePortToLibpq) {
  const DatabaseTarget target =
      parseDatabaseUrl("postgresql://app:old@[::1]/db", std::string("fromfile"));
  EXPECT_NE(target.connection.find("dbname=db host=::1 connect_timeout=2 "), std::string::npos)
      << target.connection;
  EXPECT_NE(target.connection.find(" password=fromfile"), std::string::npos);
  EXPECT_EQ(target.connection.find("old"), std::string::npos);
}

TEST(DatabaseUrl, PassesEveryParameterThroughAndTheOperatorsOverrideOurs) {
  const DatabaseTarget target = parseDatabaseUrl(
      "postgres://app@db:5433/pay?sslmode=verify-full&sslrootcert=/etc/ssl/db.pem"
      "&connect_timeout=7&application_name=billing&password=p4ss",
      {});
  EXPECT_EQ(target.connection,
            "user=app connect_timeout=7 dbname=pay host=db port=5433 application_name=billing "
            "sslmode=verify-full sslrootcert=/etc/ssl/db.pem "
            "options=-cclient_min_messages=warning password=p4ss");
  EXPECT_EQ(target.display,
            "postgres://app@db:5433/pay?sslmode=verify-full&sslrootcert=/etc/ssl/db.pem"
            "&connect_timeout=7&application_name=billing");
}

TEST(DatabaseUrl, TakesAUnixSocketDirectoryAsTheHost) {
  EXPECT_NE(parseDatabaseUrl("postgresql://app@%2Fvar%2Frun%2Fpostgresql/pay", {})
                .connection.find("host=/var/run/postgresql "),
            std::string::npos);
  // No host at all: libpq's default socket, the operating system's user (peer authentication).
  EXPECT_EQ(parseDatabaseUrl("postgresql:///pay?host=/run/pg", {}).connection.substr(0, 25),
            "dbname=pay host=/run/pg c");
}

TEST(DatabaseUrl, RefusesWhatPocoWouldSplitOrMangle) {
  EXPECT_EQ(reasonOf("postgresql://app:a%20b@host/db"),
            "the storage password must not contain spaces, quotes or backslashes");
  EXPECT_EQ(reasonOf("postgresql://app@host/db?application_name=a%27b"),
            "the storage URL's application_name must not contain spaces, quotes or backslashes");
  EXPECT_EQ(reasonOf("sqlite:relative.db"), "storage sqlite: needs an absolute file path");
  EXPECT_EQ(reasonOf("mysql://app@host/db"),
            "storage must be sqlite:PATH or postgresql://user@host:port/db");
}

TEST(DatabaseUrl, NamesWhatLibpqRefusesWithoutThePassword) {
  const std::string unknown = reasonOf("postgresql://app:hunter2@host/db?sslmod=require");
  EXPECT_NE(unknown.find("not one libpq accepts"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("sslmod"), std::string::npos) << unknown;
  const std::string escape = reasonOf("postgresql://app:hunter2%zz@host/db");
  EXPECT_NE(escape.find("not one libpq accepts"), std::string::npos) << escape;
  EXPECT_EQ(escape.find("hunter2"), std::string::npos) << escape;
}

TEST(DatabaseUrl, PassesASqlitePathThrough) {
  const DatabaseTarget target = parseDatabaseUrl("sqlite:/var/lib/paymentd/paymentd.db", {});
  EXPECT_EQ(target.backend, Backend::kSqlite);
  EXPECT_EQ(target.connection, "/var/lib/paymentd/paymentd.db");
  EXPECT_EQ(target.display, "sqlite:/var/lib/paymentd/paymentd.db");
}

}  // namespace
}  // namespace paymentd::storage
