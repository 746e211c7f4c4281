// storage/database.h: the daemon's database: backend, session pool, clock.
//
// Opened once at start-up and shared by every request thread. All other
// storage types (Transaction, PaymentLog, OutboxQueue, the migrations and the
// catalog sync) work through it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/database_url.h"
#include "paymentd/payment.h"
#include "storage/connection_pool.h"

namespace paymentd::storage {

using Clock = std::function<Timestamp()>;

struct DatabaseOptions {
  std::size_t pool_size = 8;
  std::optional<std::string> password;  // from a password file; overrides the URL's
  /// How long a SQLite writer waits for another's lock before "database is
  /// locked" (Transient). Deliberately short: a request should fail fast.
  std::chrono::milliseconds sqlite_busy_timeout{3000};
  /// How long acquire() waits for a free session before Transient.
  std::chrono::milliseconds pool_wait{5000};
  Clock clock = [] { return std::chrono::system_clock::now(); };
};

class Database {
 public:
  /// Parses the URL and prepares the pool; connects to check the server.
  /// Throws std::invalid_argument for a bad URL, Error/Transient otherwise.
  static std::shared_ptr<Database> open(const std::string& url, DatabaseOptions options);

  Backend backend() const { return target_.backend; }
  /// The URL without its password.
  const std::string& display() const { return target_.display; }
  Timestamp now() const { return options_.clock(); }

  ConnectionPool::Lease connection() { return pool_->acquire(); }

  /// Runs `work(connection)` on a pooled connection. When the connection turns
  /// out to be lost (a stale session after a server restart) and `retry_safe`,
  /// runs it once more on a fresh one.
  template <typename Work>
  auto withConnection(Work&& work, bool retry_safe) {
    for (int attempt = 1;; ++attempt) {
      auto lease = connection();
      try {
        return work(*lease);
      } catch (const Transient&) {
        if (!retry_safe || attempt > 1 || !lease->broken()) throw;
      }
    }
  }

  /// `SELECT 1`; throws Transient when the database cannot answer.
  void ping();

  /// Whether `events:` is configured: transactions then enqueue the
  /// application's events (storage/event_outbox.h). A reload may change it.
  void setEventsEnabled(bool enabled) { events_enabled_.store(enabled); }
  bool eventsEnabled() const { return events_enabled_.load(); }

  /// Statements sent by every connection so far.
  std::uint64_t statements() const { return pool_->statements(); }

 private:
  Database(DatabaseTarget target, DatabaseOptions options);

  DatabaseTarget target_;
  DatabaseOptions options_;
  std::shared_ptr<ConnectionPool> pool_;
  std::atomic<bool> events_enabled_{false};
};

}  // namespace paymentd::storage
