// pipeline/crash_world.h: what one crash-matrix case runs on: a sandbox that
// redelivers fast, a fresh database (PostgreSQL + Redis, or SQLite with the
// local lock), up to two real daemons on fixed ports, and the payments the
// case drove, so its invariants can be read back from the database and the
// sandbox's request log.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "daemon_process.h"

namespace paymentd::testing {

enum class Setup { kPostgresRedisTwoDaemons = 1, kSqliteOneDaemon };

/// The counts one case ends with; a healthy run has every "broken" count at 0.
struct InvariantCounts {
  int payments = 0;           // payments the case drove (renewals included)
  int fulfilled_once = 0;     // one payments row, no refund
  int refunded_once = 0;      // a finished refund, no payments row
  int neither_or_both = 0;    // broken: unsettled, or fulfilled and refunded
  int portone_cancels = 0;    // successful cancels PortOne answered, all payments
  int cancelled_twice = 0;    // broken: payments PortOne cancelled more than once
  int cycles_paid = 0;        // renewal cycles with a paid attempt
  int cycles_paid_twice = 0;  // broken
  int outbox_done = 0;
  int outbox_dead = 0;        // dead with a reason
  int outbox_unfinished = 0;  // broken: pending, or dead without a reason
  int stray_notices = 0;      // broken: a notice for a payment that is not settled that way
  std::string line() const;
};

class CrashWorld {
 public:
  static constexpr const char* kToken = "admin-token-0123456789abcdef";

  /// `lock`: the Redis URL (PostgreSQL + Redis) or "local" (SQLite).
  CrashWorld(Setup setup, std::string lock);
  ~CrashWorld();

  /// Daemon A, armed with `failpoint` (test binary), or plain when empty.
  void startA(const std::string& failpoint);
  /// PostgreSQL + Redis only: the second daemon (shipped binary), unless it runs.
  void startB();
  Daemon& a() { return *a_; }
  Daemon* b() { return b_.get(); }
  /// Waits for A's SIGKILL; true when it died so.
  bool aKilled();
  std::uint16_t adminPort() const { return admin_a_; }
  /// The daemon an operator or a second PortOne delivery reaches after the crash.
  std::uint16_t survivorPort() const;
  std::uint16_t survivorAdminPort() const;

  /// A READY payment whose webhooks go to A, then paid at PortOne (so its
  /// Transaction.Paid is delivered and redelivered by the sandbox).
  void payFirstBilling(const std::string& id, const std::string& user, std::int64_t amount);
  /// Runs every schedule due by the latest scheduled time (the renewals); returns
  /// PortOne's schedule ids it ran.
  std::vector<std::string> runRenewals();
  /// Records a payment the case expects PortOne to have charged (a renewal).
  void track(const std::string& id) { payments_.push_back(id); }
  HttpAnswer cancelNow(std::uint16_t admin_port, std::int64_t subscription);
  /// A second delivery of `id`'s webhook straight to the survivor (PortOne's second URL).
  void deliverToSurvivor(const std::string& id, const std::string& user);

  std::int64_t count(const std::string& sql) const;
  std::string text(const std::string& sql) const;
  bool waitFor(const std::string& sql, std::int64_t expected,
               std::chrono::seconds timeout = std::chrono::seconds(30)) const;
  /// Waits until every tracked payment is settled and the outbox is idle.
  bool waitSettled(std::chrono::seconds timeout = std::chrono::seconds(40)) const;
  InvariantCounts invariants() const;
  std::string logs() const;

 private:
  std::string config(std::uint16_t port, std::uint16_t admin_port) const;
  std::string webhookUrl(const std::string& user) const;
  int successfulCancels(const std::string& id) const;

  Setup setup_;
  TempDir dir_;
  std::string lock_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<sandbox::Sandbox> portone_;
  std::uint16_t port_a_, admin_a_, port_b_, admin_b_;
  std::unique_ptr<Daemon> a_, b_;
  int a_starts_ = 0;
  std::vector<std::string> payments_;
};

}  // namespace paymentd::testing
