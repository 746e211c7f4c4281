// api/final_checks.h: check answers that can never change, kept in memory.
//
// The browser polls the check API once a second. A refunded payment stays
// refunded, so once the database has said so, later polls are answered
// without it. Everything else is read again: pending, a failure whose refund
// is not done, and a completed payment (an operator may refund it, on any
// daemon). Bounded: the oldest entries go first.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/payment_log.h"

namespace paymentd::api {

class FinalChecks {
 public:
  explicit FinalChecks(std::size_t capacity) : capacity_(capacity) {}

  static bool isFinal(const storage::PaymentCheck& check) { return check.refunded; }

  std::optional<storage::PaymentCheck> find(const std::string& payment_id) const {
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = checks_.find(payment_id);
    if (it == checks_.end()) return std::nullopt;
    return it->second;
  }

  /// Keeps `check` if it is final.
  void remember(const std::string& payment_id, const storage::PaymentCheck& check) {
    if (!isFinal(check)) return;
    std::lock_guard<std::mutex> guard(mutex_);
    if (!checks_.emplace(payment_id, check).second) return;
    order_.push_back(payment_id);
    if (order_.size() > capacity_) {
      checks_.erase(order_.front());
      order_.pop_front();
    }
  }

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, storage::PaymentCheck> checks_;
  std::deque<std::string> order_;
};

}  // namespace paymentd::api
