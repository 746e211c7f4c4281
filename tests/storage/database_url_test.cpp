// The storage URL as Poco Data needs it: key=value pairs without spaces, and
// never a password in what is logged.
#include "config/database_url.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace paymentd::storage {
namespace {

TEST(DatabaseUrl, BuildsAPostgresConnectionStringWithoutLeakingThePassword) {
  const DatabaseTarget target =
      parseDatabaseUrl("postgresql://pay%40d:s3cr%2Ft@db.internal:6543/paymentd", {});
  EXPECT_EQ(target.backend, Backend::kPostgres);
  EXPECT_EQ(target.connector, "PostgreSQL");
  EXPECT_EQ(target.connection,
            "host=db.internal port=6543 dbname=paymentd user=pay@d connect_timeout=2 "
            "application_name=paymentd "
            "options=-cclient_min_messages=warning password=s3cr/t");
  EXPECT_EQ(target.display, "postgresql://pay%40d@db.internal:6543/paymentd");
  EXPECT_EQ(target.display.find("s3cr"), std::string::npos);
}

TEST(DatabaseUrl, TakesThePasswordFileOverTheUrlAndDefaultsThePort) {
  const DatabaseTarget target =
      parseDatabaseUrl("postgresql://app:old@[::1]/db", std::string("fromfile"));
  EXPECT_NE(target.connection.find("host=::1 port=5432 "), std::string::npos) << target.connection;
  EXPECT_NE(target.connection.find(" password=fromfile"), std::string::npos);
  EXPECT_EQ(target.connection.find("old"), std::string::npos);
}

TEST(DatabaseUrl, RefusesWhatPocoWouldSplitOrMangle) {
  EXPECT_THROW(parseDatabaseUrl("postgresql://app:a%20b@host/db", {}), std::invalid_argument);
  EXPECT_THROW(parseDatabaseUrl("postgresql://app@host/db?sslmode=require", {}),
               std::invalid_argument);
  EXPECT_THROW(parseDatabaseUrl("postgresql://host/db", {}), std::invalid_argument);
  EXPECT_THROW(parseDatabaseUrl("postgresql://app@host:99999/db", {}), std::invalid_argument);
  EXPECT_THROW(parseDatabaseUrl("sqlite:relative.db", {}), std::invalid_argument);
  EXPECT_THROW(parseDatabaseUrl("mysql://app@host/db", {}), std::invalid_argument);
}

TEST(DatabaseUrl, PassesASqlitePathThrough) {
  const DatabaseTarget target = parseDatabaseUrl("sqlite:/var/lib/paymentd/paymentd.db", {});
  EXPECT_EQ(target.backend, Backend::kSqlite);
  EXPECT_EQ(target.connection, "/var/lib/paymentd/paymentd.db");
  EXPECT_EQ(target.display, "sqlite:/var/lib/paymentd/paymentd.db");
}

}  // namespace
}  // namespace paymentd::storage
