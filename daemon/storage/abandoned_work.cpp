#include "storage/abandoned_work.h"

#include "storage/admin_notice.h"
#include "storage/connection.h"
#include "storage/overdue_renewals.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;

// `select` names three columns: the payment id, the detail and the start time.
void collect(Connection& connection, const char* kind, const std::string& select,
             Timestamp began_before, std::size_t limit, std::vector<AbandonedWork>& work) {
  std::vector<std::string> id;
  std::vector<std::string> detail;
  std::vector<Poco::Int64> since;
  const std::string key_prefix = gaveUpNoticeKey(kind, "");
  connection.run(
      select + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = CAST($2 AS TEXT) || " +
          "w.id) ORDER BY w.since LIMIT $3",
      [&](Poco::Data::Statement& s) {
        s, bind(toMicros(began_before)), bind(key_prefix), bind(static_cast<Poco::Int64>(limit)),
            into(id), into(detail), into(since);
      });
  for (std::size_t i = 0; i < id.size(); ++i) {
    work.push_back({kind, id[i], detail[i], fromMicros(since[i])});
  }
}

}  // namespace

std::vector<AbandonedWork> abandonedWork(Database& database, Timestamp began_before,
                                         std::size_t limit) {
  return database.withConnection(
      [&](Connection& connection) {
        std::vector<AbandonedWork> work;
        collect(connection, "refund",
                "SELECT w.id, w.detail, w.since FROM (SELECT payment_id AS id, code AS detail, "
                "created_at_us AS since FROM payment_failures WHERE refund IN ('INTENDED', "
                "'FAILED')) w WHERE w.since < $1",
                began_before, limit, work);
        collect(connection, "renewal",
                "SELECT w.id, w.detail, w.since FROM (SELECT s.next_payment_id AS id, "
                "'subscription ' || CAST(s.id AS TEXT) AS detail, s.next_payment_due_us AS since "
                "FROM subscriptions s WHERE s.next_payment_id IS NOT NULL AND " +
                    std::string(unsettledRenewalCondition()) + ") w WHERE w.since < $1",
                began_before, limit, work);
        collect(connection, "webhook",
                "SELECT w.id, w.detail, w.since FROM (SELECT payment_id AS id, answer AS detail, "
                "first_seen_us AS since FROM unsettled_webhooks) w WHERE w.since < $1",
                began_before, limit, work);
        return work;
      },
      true);
}

}  // namespace paymentd::storage
