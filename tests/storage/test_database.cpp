#include "storage/test_database.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>

#include <cstdlib>
#include <map>
#include <random>
#include <sstream>

namespace paymentd::testing {
namespace {

std::map<std::string, std::string> keyValues(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    const auto eq = token.find('=');
    if (eq != std::string::npos) out[token.substr(0, eq)] = token.substr(eq + 1);
  }
  return out;
}

std::string randomName() {
  std::random_device device;
  std::mt19937_64 random(device());
  std::ostringstream name;
  name << "paymentd_test_" << std::hex << random();
  return name.str();
}

void adminExecute(const std::string& sql) {
  Poco::Data::PostgreSQL::Connector::registerConnector();
  Poco::Data::Session admin("PostgreSQL", *postgresServer() + " dbname=postgres connect_timeout=5");
  admin << sql, Poco::Data::Keywords::now;
}

}  // namespace

std::optional<std::string> postgresServer() {
  const char* value = std::getenv("PAYMENTD_TEST_POSTGRES");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::optional<std::string> postgresMissing() {
  if (!postgresServer()) {
    return "PAYMENTD_TEST_POSTGRES is not set (scripts/run-tests.sh starts a server and sets it)";
  }
  return std::nullopt;
}

TestDatabase::TestDatabase(storage::Backend backend) : backend_(backend) {
  if (backend == storage::Backend::kSqlite) {
    url_ = "sqlite:" + (dir_.path() / "paymentd.db").string();
    return;
  }
  auto server = keyValues(*postgresServer());
  pg_name_ = randomName();
  adminExecute("CREATE DATABASE " + pg_name_);
  const std::string host = server.count("host") ? server["host"] : "127.0.0.1";
  const std::string port = server.count("port") ? server["port"] : "5432";
  const std::string user = server.count("user") ? server["user"] : "postgres";
  url_ = "postgresql://" + user + "@" + host + ":" + port + "/" + pg_name_;
}

TestDatabase::~TestDatabase() {
  if (pg_name_.empty()) return;
  try {
    adminExecute("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << "cannot drop " << pg_name_ << ": " << e.displayText();
  }
}

void TestDatabase::drop() {
  adminExecute("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
}

std::shared_ptr<storage::Database> TestDatabase::open(storage::DatabaseOptions options) const {
  return storage::Database::open(url_, std::move(options));
}

std::int64_t queryInt(storage::Database& database, const std::string& sql) {
  auto lease = database.connection();
  Poco::Int64 value = -1;
  lease->run(sql, [&](Poco::Data::Statement& s) { s, Poco::Data::Keywords::into(value); });
  return value;
}

std::string queryText(storage::Database& database, const std::string& sql) {
  auto lease = database.connection();
  Poco::Nullable<std::string> value;
  lease->run(sql, [&](Poco::Data::Statement& s) { s, Poco::Data::Keywords::into(value); });
  return value.isNull() ? std::string() : value.value();
}

void execute(storage::Database& database, const std::string& sql) {
  auto lease = database.connection();
  lease->run(sql);
}

}  // namespace paymentd::testing
