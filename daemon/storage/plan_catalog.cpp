#include "storage/plan_catalog.h"

#include <set>

#include "storage/time_codec.h"

namespace paymentd::storage {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

CatalogSyncReport syncPlanCatalog(Database& database, const std::vector<Plan>& plans) {
  return database.withConnection(
      [&](Connection& connection) {
        CatalogSyncReport report;
        connection.begin();
        try {
          const Poco::Int64 now = toMicros(database.now());
          std::set<std::string> listed;
          for (const Plan& plan : plans) {
            listed.insert(plan.id);
            connection.run(
                "INSERT INTO plans (id, name, price, months, lessons_per_month, trial, retired, "
                "updated_at_us) "
                "VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7) ON CONFLICT (id) DO UPDATE SET name = "
                "excluded.name, "
                "price = excluded.price, months = excluded.months, lessons_per_month = "
                "excluded.lessons_per_month, "
                "trial = excluded.trial, retired = FALSE, updated_at_us = excluded.updated_at_us",
                [&](Statement& s) {
                  s, useRef(plan.id), useRef(plan.name), bind(static_cast<Poco::Int64>(plan.price)),
                      bind(static_cast<Poco::Int64>(plan.months)),
                      bind(static_cast<Poco::Int64>(plan.lessons_per_month)), bind(plan.trial),
                      bind(now);
                });
            ++report.upserted;
          }
          std::vector<std::string> stored;
          connection.run("SELECT id FROM plans WHERE NOT retired",
                         [&](Statement& s) { s, into(stored); });
          for (const std::string& id : stored) {
            if (listed.count(id) != 0) continue;
            const std::size_t deleted = connection.run(
                "DELETE FROM plans WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE "
                "plan_id = $1)",
                [&](Statement& s) { s, useRef(id); });
            if (deleted == 1) {
              ++report.deleted;
              continue;
            }
            connection.run("UPDATE plans SET retired = TRUE, updated_at_us = $1 WHERE id = $2",
                           [&](Statement& s) { s, bind(now), useRef(id); });
            ++report.retired;
          }
          connection.commit();
        } catch (...) {
          if (connection.inTransaction()) connection.rollback();
          throw;
        }
        return report;
      },
      true);
}

}  // namespace paymentd::storage
