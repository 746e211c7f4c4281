// The outbox counts behind paymentd_outbox_pending and paymentd_outbox_dead.
#include "storage/outbox_stats.h"

#include <gtest/gtest.h>

#include "metrics/metrics.h"
#include "storage/migrations.h"
#include "storage/test_database.h"

namespace paymentd::storage {
namespace {

TEST(OutboxStats, CountsPendingAndDeadItemsAndFeedsTheMetrics) {
  testing::TestDatabase test_database(Backend::kSqlite);
  auto database = test_database.open();
  migrate(*database);
  EXPECT_EQ(outboxStats(*database).pending, 0);
  for (const char* row :
       {"('notify', 'a', '{}', 'PENDING', 0, 0, 0, 0)",
        "('notify', 'b', '{}', 'PENDING', 0, 0, 0, 0)", "('notify', 'c', '{}', 'DONE', 1, 0, 0, 0)",
        "('notify', 'd', '{}', 'DEAD', 8, 0, 0, 0)"}) {
    testing::execute(*database,
                     std::string("INSERT INTO outbox (kind, dedupe_key, payload, status, attempts, "
                                 "due_at_us, created_at_us, updated_at_us) VALUES ") +
                         row);
  }
  const OutboxStats stats = outboxStats(*database);
  EXPECT_EQ(stats.pending, 2);
  EXPECT_EQ(stats.dead, 1);

  metrics::Metrics metrics;
  metrics.setOutboxCounts(stats.pending, stats.dead);
  const std::string text = metrics.render();
  EXPECT_NE(text.find("paymentd_outbox_pending 2"), std::string::npos) << text;
  EXPECT_NE(text.find("paymentd_outbox_dead 1"), std::string::npos);
}

}  // namespace
}  // namespace paymentd::storage
