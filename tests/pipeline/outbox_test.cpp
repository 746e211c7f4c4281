// The outbox worker against the sandbox on both backends: retries with
// backoff, dead letters and the operator's retry, idempotent schedules,
// leases that come back, several workers sharing one outbox, and no ghost.
#include "paymentd/outbox.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <thread>

#include "clock/manual_clock.h"
#include "pipeline_harness.h"
#include "storage/outbox_queue.h"
#include "storage/time_codec.h"
#include "storage/transaction.h"

namespace paymentd::pipeline {
namespace {

using Poco::JSON::Object;
using testing::PipelineHarness;

template <typename Backend>
class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kBackend);
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend);
    h().registerCard("card-ok", 0, "succeed");
  }

  PipelineHarness& h() { return *harness_; }
  // A schedule for an existing subscription, as a plugin built against API 1.1 enqueues it.
  OutboxItem scheduleItem(std::int64_t subscription, int cycle) {
    h().seedSubscription(subscription);
    SchedulePaymentRequest r;
    r.subscription_id = subscription;
    r.cycle = cycle;
    r.user_id = "42";
    r.plan_id = "monthly-4";
    r.payment_type = "BILLING";
    r.billing_key = "card-ok";
    r.amount = 59000;
    r.order_name = "Monthly, 4 lessons";
    r.time_to_pay = std::chrono::system_clock::now() + std::chrono::days(30);
    return toOutboxItem(r);
  }
  void enqueue(const OutboxItem& item) {
    storage::Transaction transaction(h().database());
    ASSERT_TRUE(transaction.store().enqueueOutbox(item).isOk());
    transaction.commit();
  }
  std::unique_ptr<outbox::OutboxWorker> worker(const Clock& clock, const std::string& id,
                                               std::int64_t max_attempts = 10) {
    outbox::WorkerOptions options;
    options.worker_id = id;
    options.max_attempts = max_attempts;
    options.lease = std::chrono::seconds(60);
    options.backoff = {std::chrono::milliseconds(1000), std::chrono::milliseconds(60000)};
    return std::make_unique<outbox::OutboxWorker>(
        outbox::WorkerParts{clock, h().database(), h().schedules(), h().notices(), h().events()},
        options);
  }

  std::unique_ptr<PipelineHarness> harness_;
};

using Backends = ::testing::Types<testing::SqliteBackend, testing::PostgresBackend>;
TYPED_TEST_SUITE(OutboxTest, Backends, testing::BackendNames);

TYPED_TEST(OutboxTest, ARolledBackTransactionLeavesNoItemAndSendsNothing) {
  auto& h = this->h();
  const OutboxItem item = this->scheduleItem(5, 1);
  {
    storage::Transaction transaction(h.database());
    ASSERT_TRUE(transaction.store().enqueueOutbox(item).isOk());
    // No commit: the payment's work failed after enqueuing.
  }
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_schedules"), 0);
  EXPECT_EQ(h.drainOutbox(), 0u);
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub5-c1-a1/schedule"), 0);
}

TYPED_TEST(OutboxTest, RetriesWithGrowingBackoffThenGoesDeadAndAnOperatorRevivesIt) {
  auto& h = this->h();
  ManualClock clock(std::chrono::system_clock::now());
  auto worker = this->worker(clock, "w1", 3);
  this->enqueue(this->scheduleItem(5, 1));
  Object fault;
  fault.set("path", "/payments/paymentd-sub5-c1-a1/schedule");
  fault.set("kind", "status");
  fault.set("status", 503);
  fault.set("count", -1);
  h.addFault(fault);

  std::vector<std::int64_t> delays_ms;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    ASSERT_EQ(worker->runOnce(), 1u) << attempt;
    if (attempt == 3) {
      EXPECT_EQ(worker->runOnce(), 1u);  // dead: the admin's alert goes out
    }
    EXPECT_EQ(worker->runOnce(), 0u);  // not due again before its backoff
    const std::int64_t due =
        h.count("SELECT due_at_us FROM outbox WHERE kind = 'schedule_payment'");
    delays_ms.push_back((due - storage::toMicros(clock.now())) / 1000);
    clock.advance(std::chrono::milliseconds(61000));
  }
  // Equal jitter: attempt n waits between half and all of 1 s * 2^(n-1).
  EXPECT_GE(delays_ms[0], 500);
  EXPECT_LE(delays_ms[0], 1000);
  EXPECT_GE(delays_ms[1], 1000);
  EXPECT_LE(delays_ms[1], 2000);
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE kind = 'schedule_payment'"), "DEAD");
  EXPECT_EQ(h.count("SELECT attempts FROM outbox WHERE kind = 'schedule_payment'"), 3);
  // The admin channel was told once that the item died.
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE kind = 'notify' AND dedupe_key LIKE "
                   "'notice:OUTBOX_ITEM_DEAD:%'"),
            "DONE");
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'notify'"), 1);
  // Each worker attempt is one client call, which itself retries until its deadline.
  EXPECT_GE(h.portoneRequests("POST", "/payments/paymentd-sub5-c1-a1/schedule"), 3);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = "
                    "'paymentd-sub5-c1-a1' AND stage = 'outbox:schedule_payment'"),
            3);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = "
                    "'paymentd-sub5-c1-a1' AND result = 'dead'"),
            1);

  storage::OutboxQueue queue(h.database());
  const auto dead = queue.list(true, 10);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(dead[0].last_error.value_or("").find("503"), std::string::npos)
      << dead[0].last_error.value_or("");
  h.clearFaults();
  ASSERT_TRUE(queue.retryNow(dead[0].id));
  EXPECT_EQ(worker->runOnce(), 1u);
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE kind = 'schedule_payment'"), "DONE");
  EXPECT_FALSE(queue.retryNow(dead[0].id));  // done stays done
}

TYPED_TEST(OutboxTest, AScheduleThatExistsAlreadyCountsAsDone) {
  auto& h = this->h();
  // Someone (an earlier daemon, past PortOne's idempotency window) made it already.
  portone::PaymentScheduleRequest earlier;
  earlier.payment_id = "paymentd-sub6-c2-a1";
  earlier.charge.billing_key = "card-ok";
  earlier.charge.order_name = "Monthly, 4 lessons";
  earlier.charge.amount = 59000;
  earlier.time_to_pay = std::chrono::system_clock::now() + std::chrono::days(30);
  earlier.idempotency_key = "an-earlier-daemons-key-0001";
  h.portone().createPaymentSchedule(earlier);

  this->enqueue(this->scheduleItem(6, 2));
  EXPECT_EQ(h.drainOutbox(), 1u);
  EXPECT_EQ(h.text("SELECT status FROM outbox"), "DONE");
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub6-c2-a1/schedule"), 2);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM payment_events WHERE payment_id = "
                    "'paymentd-sub6-c2-a1' AND result = 'done' AND detail LIKE "
                    "'%PAYMENT_SCHEDULE_ALREADY_EXISTS (counts as done)%'"),
            1);
  // Every call to PortOne is counted, the outbox's included.
  const std::string metrics = h.metrics().render();
  for (
      const char* series :
      {R"(paymentd_portone_calls_total{endpoint="create_payment_schedule",outcome="ok"} 1)",
       R"(paymentd_portone_calls_total{endpoint="create_payment_schedule",outcome="PAYMENT_SCHEDULE_ALREADY_EXISTS"} 1)"}) {
    EXPECT_NE(metrics.find(series), std::string::npos) << series << "\n" << metrics;
  }
}

// Issue 20 defect 3: daemons behind one load balancer may know themselves by
// different public URLs. A schedule sent again by another daemon (its lease ran
// out, an operator's retry) goes under the same Idempotency-Key, so it must be
// the very same request (the notice URL fixed at the first send), or PortOne
// refuses it (INVALID_REQUEST) and the item goes dead while PortOne holds the
// schedule.
TYPED_TEST(OutboxTest, AScheduleSentAgainByADaemonWithAnotherPublicUrlIsTheSameRequest) {
  PipelineHarness& h = this->h();
  this->enqueue(this->scheduleItem(9, 1));
  const std::string payload = h.text("SELECT payload FROM outbox");
  const std::string path = "/payments/paymentd-sub9-c1-a1/schedule";
  EXPECT_EQ(h.schedules().execute(payload).result, outbox::Attempt::Result::kDone);

  const outbox::ScheduleExecutor other(h.portone(), h.database(), "http://10.0.0.2:8080",
                                       "BILLING");
  const outbox::Attempt retried = other.execute(payload);
  EXPECT_EQ(retried.result, outbox::Attempt::Result::kDone) << retried.detail;
  Poco::JSON::Parser parser;
  const auto log =
      parser.parse(h.portoneRequestLog("POST", path)).extract<Object::Ptr>()->getArray("requests");
  ASSERT_GE(log->size(), 2u);
  const std::string first = log->getObject(0)->getValue<std::string>("body");
  for (unsigned i = 1; i < log->size(); ++i) {
    EXPECT_EQ(log->getObject(i)->getValue<std::string>("body"), first) << i;
  }
  EXPECT_EQ(first.find("10.0.0.2"), std::string::npos) << first;
}

TYPED_TEST(OutboxTest, ARepeatedScheduleRequestIsReplayedNotRepeated) {
  auto& h = this->h();
  this->enqueue(this->scheduleItem(8, 1));
  // A second item for the same payment id (the store records a schedule once,
  // so it is copied by hand: a send repeated after a lease ran out looks so).
  testing::execute(h.database(),
                   "INSERT INTO outbox (kind, dedupe_key, payload, status, attempts, due_at_us, "
                   "created_at_us, updated_at_us) SELECT kind, dedupe_key || ':again', payload, "
                   "'PENDING', 0, due_at_us, created_at_us, updated_at_us FROM outbox");
  EXPECT_EQ(h.drainOutbox(), 2u);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE status = 'DONE'"), 2);
  // One Idempotency-Key for the payment id: PortOne holds one schedule.
  const auto keys = h.idempotencyKeys("POST", "/payments/paymentd-sub8-c1-a1/schedule");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], keys[1]);
}

TYPED_TEST(OutboxTest, ACrashedWorkersClaimComesBackWhenItsLeaseEnds) {
  auto& h = this->h();
  ManualClock clock(std::chrono::system_clock::now());
  this->enqueue(this->scheduleItem(7, 1));
  storage::OutboxQueue queue(h.database());
  // Worker "crashed" claims the item and dies without finishing it.
  ASSERT_EQ(queue.claim("crashed", clock.now(), std::chrono::seconds(60), 10).size(), 1u);
  auto survivor = this->worker(clock, "survivor");
  EXPECT_EQ(survivor->runOnce(), 0u);
  clock.advance(std::chrono::seconds(59));
  EXPECT_EQ(survivor->runOnce(), 0u);
  clock.advance(std::chrono::seconds(2));
  EXPECT_EQ(survivor->runOnce(), 1u);
  EXPECT_EQ(h.text("SELECT status FROM outbox"), "DONE");
  EXPECT_EQ(h.portoneRequests("POST", "/payments/paymentd-sub7-c1-a1/schedule"), 1);
}

TYPED_TEST(OutboxTest, TwoWorkersDrainOneOutboxDoingEachItemOnce) {
  auto& h = this->h();
  constexpr int kItems = 40;
  for (int i = 1; i <= kItems; ++i) this->enqueue(this->scheduleItem(100 + i, 1));
  const Clock& clock = SystemClock::instance();
  auto a = this->worker(clock, "a");
  auto b = this->worker(clock, "b");
  std::atomic<std::size_t> done{0};
  const auto drain = [&](outbox::OutboxWorker& worker) {
    for (std::size_t n; (n = worker.runOnce()) > 0;) done += n;
  };
  std::thread first([&] { drain(*a); });
  std::thread second([&] { drain(*b); });
  first.join();
  second.join();
  EXPECT_EQ(done.load(), static_cast<std::size_t>(kItems));
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE status = 'DONE' AND attempts = 1"), kItems);
  int requests = 0;
  for (int i = 1; i <= kItems; ++i) {
    requests +=
        h.portoneRequests("POST", "/payments/" + scheduledPaymentId(100 + i, 1, 1) + "/schedule");
  }
  EXPECT_EQ(requests, kItems);
}

}  // namespace
}  // namespace paymentd::pipeline
