// The crash matrix: a real daemon SIGKILLed at each failpoint (the test-only
// paymentd-failpoints), on PostgreSQL + Redis with a second daemon and on
// SQLite alone, restarted; the sandbox's redeliveries, the outbox and the
// reconciler then finish the work, and the invariants are read back from the
// database and PortOne's request log. Each case prints its counts.
#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "crash_world.h"
#include "storage/test_database.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::CrashWorld;
using testing::HttpAnswer;
using testing::Setup;

struct Case {
  const char* failpoint;  // PAYMENTD_FAILPOINT
  Setup setup;
};

// gtest prints a failing case's parameter with this.
void PrintTo(const Case& c, std::ostream* out) {
  *out << c.failpoint
       << (c.setup == Setup::kSqliteOneDaemon ? " on SQLite" : " on PostgreSQL + Redis");
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.failpoint;
  std::erase(name, '_');
  name = name.substr(0, name.find(':'));
  return name + (info.param.setup == Setup::kSqliteOneDaemon ? "Sqlite" : "PostgresRedis");
}

class CrashMatrix : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    std::string lock = "local";
    if (GetParam().setup == Setup::kPostgresRedisTwoDaemons) {
      PAYMENTD_REQUIRE_BACKEND(storage::Backend::kPostgres);
      PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
      lock = redis;
    }
    started_ = std::chrono::steady_clock::now();
    world_ = std::make_unique<CrashWorld>(GetParam().setup, lock);
    // The second daemon (PostgreSQL + Redis) runs beside the armed one, except
    // where it could claim the outbox item that should reach the point first.
    const std::string point = GetParam().failpoint;
    if (point.rfind("after_notice_sent", 0) != 0 && point.rfind("after_schedule_sent", 0) != 0) {
      world_->startB();
    }
    world_->startA(point);
  }

  // After the kill: the second daemon is up (PostgreSQL + Redis) and A comes back unarmed.
  void restart() {
    world_->startB();
    world_->startA("");
  }

  // Every case ends here: the invariants hold, and their counts are printed.
  testing::InvariantCounts settleAndCheck() {
    EXPECT_TRUE(world_->waitSettled()) << world_->invariants().line() << "\n" << world_->logs();
    const testing::InvariantCounts counts = world_->invariants();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    std::cout << "crash-matrix point=" << GetParam().failpoint << " setup="
              << (GetParam().setup == Setup::kSqliteOneDaemon ? "sqlite" : "postgres+redis") << " "
              << counts.line() << " seconds=" << seconds << std::endl;
    EXPECT_EQ(counts.neither_or_both, 0);
    EXPECT_EQ(counts.cancelled_twice, 0);
    EXPECT_EQ(counts.cycles_paid_twice, 0);
    EXPECT_EQ(counts.outbox_unfinished, 0);
    EXPECT_EQ(counts.stray_notices, 0);
    return counts;
  }

  std::unique_ptr<CrashWorld> world_;
  std::chrono::steady_clock::time_point started_;
};

class FirstBillingCrash : public CrashMatrix {};
class RefundCrash : public CrashMatrix {};
class RenewalCrash : public CrashMatrix {};
class CancelNowCrash : public CrashMatrix {};

// A paid first billing, killed in its transaction or after its commit.
TEST_P(FirstBillingCrash, IsFulfilledOnce) {
  world_->payFirstBilling("crash-fb-1", "41", 59000);
  ASSERT_TRUE(world_->aKilled()) << world_->logs();
  const bool committed = GetParam().failpoint == std::string("after_commit");
  // What the kill left: all of the work (after the commit) or none of it, nor its notices.
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM payments"), committed ? 1 : 0);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM subscriptions"), committed ? 1 : 0);
  if (!committed) {
    EXPECT_EQ(world_->count("SELECT COUNT(*) FROM outbox"), 0);
  }
  restart();
  world_->deliverToSurvivor("crash-fb-1", "41");
  const auto counts = settleAndCheck();
  EXPECT_EQ(counts.fulfilled_once, 1);
  EXPECT_EQ(counts.portone_cancels, 0);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM tickets"), 1);
}

// A payment the amount validator rejects (1,000 KRW for a 59,000 KRW plan), so it
// is refunded: killed after the intent, after PortOne's cancel, after the admin notice.
TEST_P(RefundCrash, IsRefundedOnceWithOneNotice) {
  world_->payFirstBilling("crash-bad-1", "51", 1000);
  ASSERT_TRUE(world_->aKilled()) << world_->logs();
  const std::string point = GetParam().failpoint;
  const std::string refund =
      "SELECT COUNT(*) FROM payment_failures WHERE payment_id = 'crash-bad-1' AND refund = ";
  EXPECT_EQ(world_->count(refund + "'INTENDED'"), point == "after_notice_sent" ? 0 : 1);
  EXPECT_EQ(world_->count(refund + "'DONE'"), point == "after_notice_sent" ? 1 : 0);
  EXPECT_EQ(world_->invariants().portone_cancels, point == "after_refund_intent" ? 0 : 1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM payments"), 0);
  restart();
  world_->deliverToSurvivor("crash-bad-1", "51");
  const auto counts = settleAndCheck();
  EXPECT_EQ(counts.refunded_once, 1);
  EXPECT_EQ(counts.portone_cancels, 1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM outbox WHERE dedupe_key = "
                          "'notice:PAYMENT_REFUNDED:crash-bad-1' AND status = 'DONE'"),
            1);
}

// A first billing, then its renewal: the renewal's fulfilment schedules the next
// cycle, and the daemon dies after PortOne accepted that schedule, before it was marked.
TEST_P(RenewalCrash, PaysEachCycleOnceAndHoldsOneNextSchedule) {
  world_->payFirstBilling("crash-rn-1", "61", 59000);
  ASSERT_TRUE(world_->waitFor(
      "SELECT COUNT(*) FROM payment_schedules WHERE cycle = 1 AND status = 'SCHEDULED'", 1))
      << world_->logs();
  const std::vector<std::string> renewals = world_->runRenewals();
  ASSERT_EQ(renewals.size(), std::size_t{1});
  world_->track(world_->text("SELECT payment_id FROM payment_schedules WHERE cycle = 1"));
  ASSERT_TRUE(world_->aKilled()) << world_->logs();
  // PortOne holds cycle 2; the ledger does not know it yet.
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM payment_schedules WHERE cycle = 2 AND "
                          "status = 'PENDING'"),
            1);
  restart();
  const auto counts = settleAndCheck();
  EXPECT_EQ(counts.fulfilled_once, 2);
  EXPECT_EQ(counts.cycles_paid, 1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM payment_schedules WHERE cycle = 2 AND "
                          "status = 'SCHEDULED' AND portone_schedule_id IS NOT NULL"),
            1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM payment_schedules WHERE cycle = 2"), 1);
}

// An operator's cancel now, killed after it revoked the tickets and withdrew the
// schedule in its transaction, before the commit: nothing of it stands until the
// operator asks again, and then it happens once.
TEST_P(CancelNowCrash, HappensOnceWhenAskedAgain) {
  world_->payFirstBilling("crash-cn-1", "71", 59000);
  ASSERT_TRUE(world_->waitFor(
      "SELECT COUNT(*) FROM payment_schedules WHERE cycle = 1 AND status = 'SCHEDULED'", 1))
      << world_->logs();
  const std::int64_t subscription = world_->count("SELECT MAX(id) FROM subscriptions");
  EXPECT_THROW(world_->cancelNow(world_->adminPort(), subscription), std::exception);
  ASSERT_TRUE(world_->aKilled()) << world_->logs();
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM subscriptions WHERE status = 'ACTIVE'"), 1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM outbox WHERE kind = 'revoke_schedule'"), 0);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM subscription_events WHERE action = 'cancel'"), 0);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM tickets WHERE revoked_at_us IS NOT NULL"), 0);
  restart();
  const HttpAnswer again = world_->cancelNow(world_->survivorAdminPort(), subscription);
  EXPECT_EQ(again.status, 200) << again.body;
  const auto counts = settleAndCheck();
  EXPECT_EQ(counts.fulfilled_once, 1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM subscriptions WHERE status = 'CANCELLED'"), 1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM subscription_events WHERE action = 'cancel'"), 1);
  EXPECT_EQ(world_->count("SELECT COUNT(*) FROM outbox WHERE kind = 'revoke_schedule' AND "
                          "status = 'DONE'"),
            1);
}

std::vector<Case> onBothSetups(std::initializer_list<const char*> points) {
  std::vector<Case> cases;
  for (const char* point : points) {
    cases.push_back({point, Setup::kPostgresRedisTwoDaemons});
    cases.push_back({point, Setup::kSqliteOneDaemon});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Points, FirstBillingCrash,
                         ::testing::ValuesIn(onBothSetups({"in_transaction", "after_commit"})),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Points, RefundCrash,
                         ::testing::ValuesIn(onBothSetups({"after_refund_intent", "after_cancel",
                                                           "after_notice_sent"})),
                         caseName);
// The first schedule sent is the first billing's; the second is the renewal's next cycle.
INSTANTIATE_TEST_SUITE_P(Points, RenewalCrash,
                         ::testing::ValuesIn(onBothSetups({"after_schedule_sent:2"})), caseName);
INSTANTIATE_TEST_SUITE_P(Points, CancelNowCrash,
                         ::testing::ValuesIn(onBothSetups({"cancel_now_revoked"})), caseName);

}  // namespace
}  // namespace paymentd::pipeline
