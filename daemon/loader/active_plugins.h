// loader/active_plugins.h: the plugin set requests use now, swapped whole on reload.
//
// A request takes current() once and keeps that shared_ptr for its whole run,
// so it finishes on the set it started with even if a reload swaps in another.
// The old set, and the libraries behind it, are released when the last such
// request ends.
#pragma once

#include <memory>
#include <mutex>
#include <utility>

#include "loader/plugin_set.h"

namespace paymentd::loader {

class ActivePlugins {
 public:
  explicit ActivePlugins(std::shared_ptr<const PluginSet> initial) : current_(std::move(initial)) {}

  std::shared_ptr<const PluginSet> current() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return current_;
  }

  void replace(std::shared_ptr<const PluginSet> next) {
    std::shared_ptr<const PluginSet> previous;
    {
      std::lock_guard<std::mutex> guard(mutex_);
      previous = std::exchange(current_, std::move(next));
    }
    // `previous` dies here, outside the lock, unless a request still holds it.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const PluginSet> current_;
};

}  // namespace paymentd::loader
