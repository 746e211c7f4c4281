// outbox/outbox_worker.h: carries out outbox items after their payment's
// transaction committed: claims due items (a lease, see storage/outbox_queue.h),
// runs each once (a schedule, its withdrawal, a notice, an event to the
// application), and records the attempt as a payment event. A transient
// failure is retried after an exponential backoff with jitter; after
// `max_attempts` tries, or at once on a permanent failure, the item is dead
// (docs/operators.md) and the admin channel is told. Every item is idempotent on the far side, so
// an item run twice (a lease that ended mid-attempt) does no harm.
//
// runOnce() is the whole cycle, for tests; start() runs it on a thread every
// poll interval until stop(). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <random>
#include <string>

#include "clock/clock.h"
#include "clock/periodic_loop.h"
#include "config/live.h"
#include "outbox/backoff.h"
#include "outbox/event_executor.h"
#include "outbox/notice_executor.h"
#include "outbox/schedule_executor.h"
#include "storage/database.h"
#include "storage/outbox_queue.h"

namespace paymentd::outbox {

struct WorkerOptions {
  std::string worker_id;  // unique per daemon, e.g. host:pid
  std::chrono::milliseconds poll_interval{1000};
  std::size_t batch_size = 16;
  std::chrono::seconds lease{120};
  std::int64_t max_attempts = 10;
  BackoffPolicy backoff;
  /// Where a dead item is reported, once (outbox/dead_item_alert.h).
  std::string admin_channel = "admin_slack";
};

struct WorkerParts {
  const Clock& clock;
  storage::Database& database;
  const ScheduleExecutor& schedules;
  const NoticeExecutor& notices;
  const EventExecutor& events;
};

class OutboxWorker {
 public:
  OutboxWorker(WorkerParts parts, WorkerOptions options);
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  /// Claims one batch and carries it out. @return items attempted.
  /// Throws storage::Transient when the database is down (the loop logs it).
  std::size_t runOnce();

  void start();
  void stop();
  /// True while one pass has run longer than `limit` (see PeriodicLoop::stalled).
  bool stalled(std::chrono::steady_clock::duration limit) const { return loop_.stalled(limit); }
  /// A reload's options (the worker id stays): the next pass uses them.
  void apply(WorkerOptions options);

 private:
  Attempt attempt(const storage::OutboxRecord& record);
  void finish(const storage::OutboxRecord& record, const Attempt& attempt,
              const WorkerOptions& options);
  double unitRandom();

  WorkerParts parts_;
  config::Live<WorkerOptions> options_;  // one snapshot per pass
  std::mutex random_mutex_;
  std::mt19937_64 random_;
  PeriodicLoop loop_;  // last: stopped first, while the members it uses live
};

}  // namespace paymentd::outbox
