// config/live.h: a value a reload swaps whole while requests keep the one they took.
//
// A request (or a background pass) takes current() once and keeps that
// shared_ptr for its whole run, so it finishes on the settings it started
// with even if a reload swaps in others; the old value is released when the
// last such run ends. Readers never wait for a reload, only for the pointer copy.
#pragma once

#include <memory>
#include <mutex>
#include <utility>

namespace paymentd::config {

template <typename T>
class Live {
 public:
  explicit Live(std::shared_ptr<const T> initial) : current_(std::move(initial)) {}

  std::shared_ptr<const T> current() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return current_;
  }

  void replace(std::shared_ptr<const T> next) {
    std::shared_ptr<const T> previous;
    {
      std::lock_guard<std::mutex> guard(mutex_);
      previous = std::exchange(current_, std::move(next));
    }
    // `previous` dies here, outside the lock, unless a run still holds it.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> current_;
};

}  // namespace paymentd::config
