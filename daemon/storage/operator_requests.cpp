#include "storage/operator_requests.h"

#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

std::optional<OperatorAnswer> find(Connection& connection, const std::string& key) {
  OperatorAnswer answer;
  Poco::Int64 status = 0;
  const std::size_t rows = connection.run(
      "SELECT fingerprint, status, answer FROM operator_requests WHERE idempotency_key = $1",
      [&](Statement& s) {
        s, useRef(key), into(answer.fingerprint), into(status), into(answer.body);
      });
  if (rows == 0) return std::nullopt;
  answer.status = static_cast<int>(status);
  return answer;
}

}  // namespace

std::optional<OperatorAnswer> findOperatorAnswer(Database& database, const std::string& key) {
  return database.withConnection([&](Connection& connection) { return find(connection, key); },
                                 true);
}

OperatorAnswer keepOperatorAnswer(Database& database, const std::string& key,
                                  const OperatorAnswer& answer, const std::string& actor) {
  return database.withConnection(
      [&](Connection& connection) {
        connection.execute(
            "INSERT INTO operator_requests (idempotency_key, fingerprint, actor, status, answer, "
            "created_at_us) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO "
            "NOTHING",
            {key, answer.fingerprint, actor, Poco::Int64{answer.status}, answer.body,
             toMicros(database.now())});
        return find(connection, key).value_or(answer);
      },
      true);  // an insert that keeps the first: safe to repeat
}

}  // namespace paymentd::storage
