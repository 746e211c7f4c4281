#include "storage/overdue_renewals.h"

#include "storage/connection.h"
#include "storage/time_codec.h"

namespace paymentd::storage {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;

const char* unsettledRenewalCondition() {
  return "s.status IN ('ACTIVE', 'PAST_DUE') "
         "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = s.next_payment_id) "
         "AND NOT EXISTS (SELECT 1 FROM billing_failures b WHERE b.payment_id = "
         "s.next_payment_id) "
         // A decline whose count did not land yet is still the reconciler's.
         "AND NOT EXISTS (SELECT 1 FROM payment_failures f WHERE f.payment_id = "
         "s.next_payment_id AND f.code <> 'PAYMENT_FAILED')";
}

std::vector<OverdueRenewal> overdueRenewals(Database& database, Timestamp due_before,
                                            Timestamp due_since, std::size_t limit) {
  return database.withConnection(
      [&](Connection& connection) {
        std::vector<std::string> payment_id;
        std::vector<Poco::Int64> subscription_id;
        std::vector<std::string> user_id;
        std::vector<std::string> plan_id;
        std::vector<Poco::Int64> due;
        std::vector<Poco::Int64> dead;
        connection.run(
            "SELECT s.next_payment_id, s.id, s.user_id, s.plan_id, s.next_payment_due_us, "
            "CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'schedule:' || "
            "s.next_payment_id AND o.status = 'DEAD') THEN 1 ELSE 0 END "
            "FROM subscriptions s WHERE s.next_payment_due_us < $1 AND s.next_payment_due_us >= $2 "
            "AND " +
                std::string(unsettledRenewalCondition()) +
                " ORDER BY s.next_payment_due_us LIMIT $3",
            [&](Poco::Data::Statement& s) {
              s, bind(toMicros(due_before)), bind(toMicros(due_since)),
                  bind(static_cast<Poco::Int64>(limit)), into(payment_id), into(subscription_id),
                  into(user_id), into(plan_id), into(due), into(dead);
            });
        std::vector<OverdueRenewal> renewals;
        for (std::size_t i = 0; i < payment_id.size(); ++i) {
          renewals.push_back({payment_id[i], subscription_id[i], user_id[i], plan_id[i],
                              fromMicros(due[i]), dead[i] != 0});
        }
        return renewals;
      },
      true);
}

}  // namespace paymentd::storage
