// The plans catalog file: strict reading with file:line:column in every error.
#include "config/catalog_file.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace paymentd::storage {
namespace {

std::vector<std::string> problemsOf(const std::string& yaml, std::string* path_out = nullptr) {
  static paymentd::testing::TempDir dir;
  const std::string path = dir.write("plans.yaml", yaml);
  if (path_out != nullptr) *path_out = path;
  config::ConfigProblems problems;
  auto plans = loadPlanCatalog(path, problems);
  EXPECT_EQ(plans.has_value(), problems.empty());
  return problems.lines();
}

TEST(PlanCatalogFile, ReadsEveryField) {
  paymentd::testing::TempDir dir;
  const std::string path = dir.write(
      "plans.yaml",
      "- {id: monthly-4, name: \"Monthly, 4 lessons\", price: 59000, months: 1, lessons_per_month: "
      "4, trial: false}\n"
      "- {id: trial, name: Trial, price: 0, months: 1, lessons_per_month: 1, trial: true}\n");
  config::ConfigProblems problems;
  auto plans = loadPlanCatalog(path, problems);
  ASSERT_TRUE(plans.has_value()) << (problems.empty() ? "" : problems.lines()[0]);
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_EQ((*plans)[0].id, "monthly-4");
  EXPECT_EQ((*plans)[0].name, "Monthly, 4 lessons");
  EXPECT_EQ((*plans)[0].price, 59000);
  EXPECT_EQ((*plans)[0].months, 1);
  EXPECT_EQ((*plans)[0].lessons_per_month, 4);
  EXPECT_FALSE((*plans)[0].trial);
  EXPECT_TRUE((*plans)[1].trial);
}

TEST(PlanCatalogFile, ReadsTheShippedCatalog) {
  config::ConfigProblems problems;
  auto plans = loadPlanCatalog(std::string(PAYMENTD_SOURCE_DIR) + "/config/plans.yaml", problems);
  ASSERT_TRUE(plans.has_value()) << (problems.empty() ? "" : problems.lines()[0]);
  EXPECT_EQ(plans->size(), 4u);
}

TEST(PlanCatalogFile, ReportsAnUnknownKeyAtItsPosition) {
  std::string path;
  const auto lines = problemsOf(
      "- id: a\n  name: A\n  price: 1\n  months: 1\n  lessons_per_month: 1\n  trial: false\n  "
      "colour: red\n",
      &path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], path + ":7:3: unknown key 'colour' in plans[0]");
}

TEST(PlanCatalogFile, ReportsABadValueAndAMissingKey) {
  std::string path;
  const auto lines = problemsOf(
      "- {id: a, name: A, price: cheap, months: 1, lessons_per_month: 1, trial: false}\n"
      "- {id: b, name: B, price: 1, months: 1, lessons_per_month: 1}\n",
      &path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], path + ":1:27: plans[0].price must be an integer, found 'cheap'");
  EXPECT_EQ(lines[1], path + ":2:3: missing required key 'trial' in plans[1]");
}

TEST(PlanCatalogFile, ReportsADuplicateId) {
  std::string path;
  const auto lines = problemsOf(
      "- {id: a, name: A, price: 1, months: 1, lessons_per_month: 1, trial: false}\n"
      "- {id: a, name: B, price: 2, months: 1, lessons_per_month: 1, trial: false}\n",
      &path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], path + ":2:3: duplicate plan id 'a'");
}

TEST(PlanCatalogFile, ReportsASyntaxErrorWithItsPosition) {
  std::string path;
  const auto lines = problemsOf("- {id: a, name: A\n", &path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind(path + ":", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("YAML syntax error"), std::string::npos) << lines[0];
}

TEST(PlanCatalogFile, RefusesAnEmptyCatalog) {
  std::string path;
  const auto lines = problemsOf("[]\n", &path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], path + ":1:1: the plans catalog must be a non-empty list of plans");
}

}  // namespace
}  // namespace paymentd::storage
