#include "storage/connection_pool.h"

namespace paymentd::storage {

std::shared_ptr<ConnectionPool> ConnectionPool::create(Backend backend, std::size_t max_size,
                                                       std::chrono::milliseconds wait,
                                                       Connect connect) {
  return std::shared_ptr<ConnectionPool>(
      new ConnectionPool(backend, max_size, wait, std::move(connect)));
}

ConnectionPool::ConnectionPool(Backend backend, std::size_t max_size,
                               std::chrono::milliseconds wait, Connect connect)
    : backend_(backend), max_size_(max_size), wait_(wait), connect_(std::move(connect)) {}

void ConnectionPool::Returner::operator()(Connection* connection) const {
  if (auto owner = pool.lock()) {
    owner->giveBack(connection);
  } else {
    delete connection;
  }
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::uint64_t generation = 0;
  {
    std::unique_lock lock(mutex_);
    const bool available =
        freed_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < max_size_; });
    if (!available) {
      throw Transient("all " + std::to_string(max_size_) + " database sessions are busy");
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(connection.release(), Returner{weak_from_this()});
    }
    ++open_;  // reserve the slot, then connect without holding the lock
    generation = generation_;
  }
  try {
    auto connection = std::make_unique<Connection>(connect_(), backend_, generation, statements_);
    return Lease(connection.release(), Returner{weak_from_this()});
  } catch (...) {
    std::lock_guard lock(mutex_);
    --open_;
    freed_.notify_one();
    throw;
  }
}

void ConnectionPool::giveBack(Connection* raw) {
  std::unique_ptr<Connection> connection(raw);
  if (connection->inTransaction()) connection->rollback();  // a lease dropped mid-transaction
  std::vector<std::unique_ptr<Connection>> stale;
  {
    std::lock_guard lock(mutex_);
    if (connection->broken()) {
      // The server went away: every idle session that predates this one is suspect.
      if (connection->generation() == generation_) {
        ++generation_;
        stale.swap(idle_);
        open_ -= stale.size();
      }
      --open_;
    } else if (connection->generation() < generation_) {
      --open_;
      stale.push_back(std::move(connection));
    } else {
      idle_.push_back(std::move(connection));
    }
    freed_.notify_all();
  }
  // `stale` and a broken `connection` close their sessions here, outside the lock.
}

std::size_t ConnectionPool::idle() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

}  // namespace paymentd::storage
