#include "config/catalog_file.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "config/bounded_file.h"
#include "config/yaml_reader.h"

namespace paymentd::config {
namespace {

std::optional<Plan> readPlan(const YAML::Node& node, const std::string& file, std::size_t index,
                             ConfigProblems& problems) {
  MapReader map(node, file, "plans[" + std::to_string(index) + "]", problems);
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

std::optional<std::vector<Plan>> loadPlanCatalog(const std::string& path, ConfigProblems& problems,
                                                 const std::optional<SourceMark>& named_at) {
  const BoundedRead file = readRegularFile(path, kMaxConfigFileBytes);
  if (!file.content) {
    if (named_at) {
      problems.add(*named_at,
                   "catalog: cannot read the plans catalog " + path + ": " + file.problem);
    } else {
      problems.add(SourceMark{path, 0, 0}, "cannot read the plans catalog: " + file.problem);
    }
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(*file.content);
  } catch (const YAML::Exception& e) {
    problems.add(SourceMark{path, e.mark.line + 1, e.mark.column + 1},
                 "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  if (!root.IsSequence() || root.size() == 0) {
    problems.add(markOf(path, root), "the plans catalog must be a non-empty list of plans");
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
      problems.add(markOf(path, node), "duplicate plan id '" + plan->id + "'");
      continue;
    }
    plans.push_back(std::move(*plan));
  }
  if (problems.lines().size() != before) return std::nullopt;
  return plans;
}

}  // namespace paymentd::config
