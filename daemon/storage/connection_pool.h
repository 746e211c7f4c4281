// storage/connection_pool.h: a bounded pool of Connections.
//
// Poco's SessionPool is not used because (1) it creates sessions while holding
// its lock, (2) it fails at once when exhausted instead of waiting, and (3) after
// a PostgreSQL restart every idle session is stale yet reports itself good.
// Here a session that lost its connection bumps a generation, and every idle
// session from an older generation is dropped, so one failure is enough to
// flush them all.
#pragma once

#include <Poco/Data/Session.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/connection.h"

namespace paymentd::storage {

class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
 public:
  /// Opens a new session; throws a storage exception on failure.
  using Connect = std::function<Poco::Data::Session()>;

  struct Returner {
    std::weak_ptr<ConnectionPool> pool;
    void operator()(Connection* connection) const;
  };
  using Lease = std::unique_ptr<Connection, Returner>;

  static std::shared_ptr<ConnectionPool> create(Backend backend, std::size_t max_size,
                                                std::chrono::milliseconds wait, Connect connect);

  /// A connection for this thread alone; it goes back to the pool when the
  /// lease is destroyed. Waits up to `wait` for a free one, then throws Transient.
  Lease acquire();

  std::uint64_t statements() const { return statements_.load(); }
  std::size_t idle() const;

 private:
  ConnectionPool(Backend backend, std::size_t max_size, std::chrono::milliseconds wait,
                 Connect connect);
  void giveBack(Connection* connection);

  const Backend backend_;
  const std::size_t max_size_;
  const std::chrono::milliseconds wait_;
  const Connect connect_;

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle + leased + being connected
  std::uint64_t generation_ = 1;
  std::atomic<std::uint64_t> statements_{0};
};

}  // namespace paymentd::storage
