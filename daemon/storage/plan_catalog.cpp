#include "storage/plan_catalog.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "config/yaml_reader.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

std::optional<Plan> readPlan(const YAML::Node& node, const std::string& file, std::size_t index,
                             config::ConfigProblems& problems) {
  config::MapReader map(node, file, "plans[" + std::to_string(index) + "]", problems);
  if (!map.valid()) return std::nullopt;
  const std::size_t before = problems.lines().size();
  Plan plan;
  if (auto v = map.string("id", true)) plan.id = *v;
  if (auto v = map.string("name", true)) plan.name = *v;
  if (auto v = map.integer("price", true, 0, 1'000'000'000'000)) plan.price = *v;
  if (auto v = map.integer("months", true, 1, 120)) plan.months = static_cast<int>(*v);
  if (auto v = map.integer("lessons_per_month", true, 0, 1000))
    plan.lessons_per_month = static_cast<int>(*v);
  if (auto v = map.boolean("trial", true)) plan.trial = *v;
  if (map.has("id") && plan.id.empty())
    problems.add(map.markOfKey("id"), "a plan id must not be empty");
  map.finish();
  if (problems.lines().size() != before) return std::nullopt;
  return plan;
}

}  // namespace

std::optional<std::vector<Plan>> loadPlanCatalog(const std::string& path,
                                                 config::ConfigProblems& problems) {
  std::ifstream in(path);
  if (!in) {
    problems.add(config::SourceMark{path, 0, 0},
                 std::string("cannot read the plans catalog: ") + std::strerror(errno));
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(in);
  } catch (const YAML::Exception& e) {
    problems.add(config::SourceMark{path, e.mark.line + 1, e.mark.column + 1},
                 "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  if (!root.IsSequence() || root.size() == 0) {
    problems.add(config::markOf(path, root), "the plans catalog must be a non-empty list of plans");
    return std::nullopt;
  }
  const std::size_t before = problems.lines().size();
  std::vector<Plan> plans;
  std::set<std::string> ids;
  std::size_t index = 0;
  for (const auto& node : root) {
    auto plan = readPlan(node, path, index++, problems);
    if (!plan) continue;
    if (!ids.insert(plan->id).second) {
      problems.add(config::markOf(path, node), "duplicate plan id '" + plan->id + "'");
      continue;
    }
    plans.push_back(std::move(*plan));
  }
  if (problems.lines().size() != before) return std::nullopt;
  return plans;
}

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
