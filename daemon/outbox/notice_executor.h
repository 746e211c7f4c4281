// outbox/notice_executor.h: a `notify` item -> the notifier plugin the YAML
// names for its channel, with the SDK's Outcome semantics (ok: sent;
// transient: retry later; rejected: dead at once). A notice addressed to a
// subscriber gets the phone number stored with the subscription, read at send
// time; attempt details show it masked.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "loader/active_plugins.h"
#include "outbox/attempt.h"
#include "paymentd/store.h"
#include "storage/database.h"

namespace paymentd::outbox {

class NoticeExecutor {
 public:
  NoticeExecutor(const loader::ActivePlugins& plugins, storage::Database& database,
                 std::chrono::seconds grace)
      : plugins_(plugins), database_(database), grace_(grace) {}

  /// A notice due more than `grace` before `now` is dropped: a failure notice
  /// sent a day late is worse than none (the retry may have succeeded since).
  Attempt execute(const OutboxItem& item, Timestamp now) const;

  /// A reload's outbox.notice_grace_s.
  void setGrace(std::chrono::seconds grace) { grace_.store(grace); }

 private:
  const loader::ActivePlugins& plugins_;
  storage::Database& database_;
  std::atomic<std::chrono::seconds> grace_;  // outbox.notice_grace_s, a reload may change it
};

/// The payment id a notify or schedule_payment payload is about ("" if none).
std::string paymentIdOf(const std::string& payload);

}  // namespace paymentd::outbox
