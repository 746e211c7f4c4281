// pipeline/reconciler.h: finishes what no webhook finished (docs/operators.md, "The reconciler").
//
// PortOne redelivers a webhook five times over about five hours; after that,
// a payment our daemons answered 503 (or never heard of) stays unsettled. Every
// `interval` the reconciler looks for three kinds, each older than `grace`:
//   - overdue renewals: a payment paymentd scheduled whose time has passed with
//     no fulfilment and no counted failure (storage/overdue_renewals.h);
//   - unfinished refunds: a refund recorded as INTENDED or FAILED;
//   - unsettled webhooks: a verified webhook answered 503 or PAYMENT_NOT_PAID,
//     with the claims of its URL (storage/unsettled_webhooks.h).
// Each is run through PaymentService::reconcile(): the same lock, the same
// fetch from PortOne (V1's API for a renewal scheduled through V1), the same
// decisions as a webhook. Daemons sharing a
// database may all run it; the per-payment lock and the database's unique
// guards keep a payment from being settled twice.
//
// Browser payments whose webhook never reached any daemon have their claims
// (user, plan, type) only in the webhook URL: the payment sweep, run last in
// each pass, asks PortOne to deliver them again (pipeline/payment_sweep.h).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include "clock/clock.h"
#include "clock/periodic_loop.h"
#include "config/live.h"
#include "pipeline/payment_service.h"
#include "pipeline/payment_sweep.h"
#include "storage/database.h"

namespace paymentd::pipeline {

struct ReconcilerOptions {
  std::chrono::seconds interval{300};
  std::chrono::seconds grace{900};
  std::size_t batch_size = 50;  // per kind and pass
  std::string renewal_payment_type = "BILLING";
  /// Work that began longer ago (a refund first intended, a renewal first
  /// due, a webhook first seen) is left to an operator, who is told once
  /// (pipeline/give_up.h).
  std::chrono::hours give_up_after{24 * 7};
  std::string admin_channel = "admin_slack";
  /// Its `settle` and `admin_channel` are the reconciler's grace and admin channel.
  SweepOptions sweep = {};
};

class Reconciler {
 public:
  /// `sweep` may be null (no payment sweep); it must outlive the reconciler.
  /// `v1_service`: the service on PortOne V1's gateway (nullptr without `portone.v1`); a
  /// payment paymentd scheduled through V1 is re-read there, every other one through `service`.
  Reconciler(const Clock& clock, storage::Database& database, const PaymentService& service,
             ReconcilerOptions options, const PaymentSweep* sweep = nullptr,
             const PaymentService* v1_service = nullptr);
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  /// One pass over both kinds. @return payments taken up.
  /// @throws storage::Transient when the database cannot be read (the loop logs it).
  std::size_t runOnce() const;

  void start();
  void stop();
  /// True while one pass has run longer than `limit` (see PeriodicLoop::stalled).
  bool stalled(std::chrono::steady_clock::duration limit) const { return loop_.stalled(limit); }
  /// A reload's options: the next pass uses them.
  void apply(ReconcilerOptions options);

 private:
  /// The service whose gateway re-reads `payment_id`.
  const PaymentService& serviceFor(const std::string& payment_id) const;

  const Clock& clock_;
  storage::Database& database_;
  const PaymentService& service_;
  const PaymentService* v1_service_;  // nullptr: no V1
  const PaymentSweep* sweep_;
  /// When the sweep next runs: one interval after the start, then at most once per
  /// interval (a pass that goes again at once does not sweep again). A restarting
  /// fleet does not list PortOne all at once, and a quick restart is not held up by
  /// a PortOne call in flight.
  mutable std::atomic<Clock::TimePoint::rep> sweep_due_;
  config::Live<ReconcilerOptions> options_;  // one snapshot per pass
  PeriodicLoop loop_;                        // last: stopped first, while the members it uses live
};

}  // namespace paymentd::pipeline
