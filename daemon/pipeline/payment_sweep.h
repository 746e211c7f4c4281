// pipeline/payment_sweep.h: paid payments no webhook ever brought (docs/operations.md,
// "The payment sweep").
//
// A browser payment whose every webhook delivery failed is PAID at PortOne and
// unknown here: its claims (user, plan, type) are only in the webhook URL, so
// paymentd cannot fulfil it itself. Each reconciler pass pages through PortOne's
// PAID payments (GET /payments) of [cursor - overlap, now - settle), at most
// `max_per_pass`, and remembers each paymentd has no record of
// (storage/swept_payments.h). It then asks PortOne to resend their webhook, which
// arrives with its original URL and claims and is settled as any webhook. When
// PortOne refuses (its resend limit) or `max_resends` bring nothing, the payment is
// UNRESOLVED: the admin channel is told once and `paymentd reconcile report` lists
// it. Nothing is refunded blindly: the store may sell what paymentd does not know.
//
// Daemons on one database share the cursor (storage/sweep_cursor.h): one sweeps
// at a time, under a lease.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "clock/clock.h"
#include "core/payment_gateway.h"
#include "metrics/metrics.h"
#include "storage/database.h"
#include "storage/sweep_cursor.h"

namespace paymentd::pipeline {

struct SweepOptions {
  /// Off unless the daemon turns it on (reconcile.sweep.enabled, on by default there).
  bool enabled = false;
  std::chrono::seconds lookback{86'400};  // how far back the first window (or a late one) starts
  std::chrono::seconds overlap{300};      // each window starts this long before the last ended
  /// A payment paid less than this long ago may still have its webhook on the way; also
  /// the wait between two resends of one payment. The reconciler's grace.
  std::chrono::seconds settle{900};
  std::size_t page_size = 100;
  std::size_t max_per_pass = 500;  // payments listed, and resends asked, per pass
  int max_resends = 3;
  std::string admin_channel = "admin_slack";
};

/// What one pass did.
struct SweepPass {
  bool swept = false;  // false: another daemon holds the cursor, or the sweep is off
  std::size_t listed = 0;
  std::size_t found = 0;
  std::size_t resent = 0;
  std::size_t unresolved = 0;
  std::size_t resolved = 0;
};

/// The admin notice of a paid payment no resend delivered, once per payment.
inline constexpr const char* kUnresolvedPaymentTemplate = "PAYMENT_UNRESOLVED";

class PaymentSweep {
 public:
  /// `holder` names this sweeper in the shared cursor (the daemon's worker id).
  PaymentSweep(const Clock& clock, storage::Database& database, const core::PaymentGateway& gateway,
               metrics::Metrics& metrics, std::string holder);

  /// One pass. @throws storage::Transient when the database cannot be read.
  SweepPass runOnce(const SweepOptions& options) const;

 private:
  void discover(const SweepOptions& options, Timestamp now, const storage::SweepCursor& cursor,
                SweepPass& pass) const;
  void followUp(const SweepOptions& options, Timestamp now, SweepPass& pass) const;
  void leaveToOperator(const SweepOptions& options, const std::string& payment_id, Timestamp now,
                       const std::string& why, SweepPass& pass) const;

  const Clock& clock_;
  storage::Database& database_;
  const core::PaymentGateway& gateway_;
  metrics::Metrics& metrics_;
  std::string holder_;
};

}  // namespace paymentd::pipeline
