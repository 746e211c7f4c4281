#include "pipeline/payment_sweep.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "storage/admin_notice.h"
#include "storage/payment_log.h"
#include "storage/sweep_cursor.h"
#include "storage/swept_payments.h"
#include "storage/time_codec.h"

namespace paymentd::pipeline {
namespace {

// Longer than any pass: a pass renews it with every page, and a daemon that died
// holding it delays the sweep by this much at most.
constexpr auto kCursorLease = std::chrono::minutes(10);

Poco::Logger& log() {
  return Poco::Logger::get("paymentd.reconcile");
}

}  // namespace

PaymentSweep::PaymentSweep(const Clock& clock, storage::Database& database,
                           const core::PaymentGateway& gateway, metrics::Metrics& metrics,
                           std::string holder)
    : clock_(clock),
      database_(database),
      gateway_(gateway),
      metrics_(metrics),
      holder_(std::move(holder)) {}

SweepPass PaymentSweep::runOnce(const SweepOptions& options) const {
  SweepPass pass;
  if (!options.enabled) return pass;
  const Timestamp now = clock_.now();
  // One sweeper at a time: two would resend the same payments twice.
  const auto cursor = storage::claimSweepCursor(database_, holder_, now, now + kCursorLease);
  if (!cursor) return pass;
  pass.swept = true;
  try {
    discover(options, now, *cursor, pass);
    followUp(options, now, pass);
  } catch (...) {
    storage::releaseSweepCursor(database_, holder_);
    throw;
  }
  storage::releaseSweepCursor(database_, holder_);
  return pass;
}

void PaymentSweep::discover(const SweepOptions& options, Timestamp now,
                            const storage::SweepCursor& cursor, SweepPass& pass) const {
  storage::SweepWindow window;
  if (cursor.window) {
    window = *cursor.window;  // a window a pass (this daemon's or another's) did not finish
  } else {
    const Timestamp earliest = now - options.lookback;
    window.from =
        cursor.swept_until ? std::max(*cursor.swept_until - options.overlap, earliest) : earliest;
    window.until = now - options.settle;
    if (window.from >= window.until) return;
    if (!storage::saveSweepWindow(database_, holder_, window, now + kCursorLease)) return;
  }
  const auto page_size = static_cast<std::int64_t>(options.page_size);
  while (pass.listed < options.max_per_pass) {
    const core::PaymentPage page =
        gateway_.listPaidPayments({window.from, window.until, window.next_page, page_size});
    if (page.status != core::LookupStatus::kFound) {
      // The cursor stays: the next pass asks for this page again.
      log().warning(
          "stage=sweep result=" + std::string(page.error_type.empty() ? "transient" : "refused") +
          " cannot list PortOne's paid payments: " + page.detail);
      return;
    }
    for (const core::ListedPayment& item : page.items) {
      if (item.status != "PAID") continue;
      ++pass.listed;
      if (storage::paymentRecorded(database_, item.id)) {
        metrics_.countPaymentSweep("known");
      } else if (storage::rememberSweptPayment(database_, item.id, item.paid_at, now)) {
        ++pass.found;
        metrics_.countPaymentSweep("found");
        log().warning("payment_id=" + item.id +
                      " stage=sweep result=found PortOne shows it PAID and paymentd has no "
                      "record of it");
      }
    }
    ++window.next_page;
    // Saved only now that the page is handled: a crash before looks at it again.
    if (page.items.empty() || window.next_page * page_size >= page.total_count) {
      storage::finishSweepWindow(database_, holder_, window.until);
      return;
    }
    if (!storage::saveSweepWindow(database_, holder_, window, now + kCursorLease)) return;
  }
}

void PaymentSweep::followUp(const SweepOptions& options, Timestamp now, SweepPass& pass) const {
  pass.resolved = storage::resolveRecordedSweptPayments(database_, now);
  for (std::size_t i = 0; i < pass.resolved; ++i) metrics_.countPaymentSweep("resolved");
  for (const storage::SweptPayment& swept :
       storage::sweptPaymentsDue(database_, now - options.settle, options.max_per_pass)) {
    if (storage::paymentRecorded(database_, swept.payment_id)) continue;  // resolved next pass
    if (swept.resends >= options.max_resends) {
      leaveToOperator(options, swept.payment_id, now,
                      "no webhook arrived after " + std::to_string(swept.resends) + " resends",
                      pass);
      continue;
    }
    const core::ResendAnswer answer = gateway_.resendWebhook(swept.payment_id);
    switch (answer.status) {
      case core::ResendStatus::kResent:
        storage::recordSweepResend(database_, swept.payment_id, now,
                                   "resend " + std::to_string(swept.resends + 1) + " asked");
        ++pass.resent;
        metrics_.countPaymentSweep("resent");
        log().information("payment_id=" + swept.payment_id +
                          " stage=sweep result=resent PortOne was asked to deliver its webhook "
                          "again (resend " +
                          std::to_string(swept.resends + 1) + ")");
        break;
      case core::ResendStatus::kLimitReached:
      case core::ResendStatus::kRefused:
        leaveToOperator(options, swept.payment_id, now,
                        "PortOne refused a resend: " + answer.detail, pass);
        break;
      case core::ResendStatus::kUnavailable:
        storage::noteSweepDetail(database_, swept.payment_id, now,
                                 "PortOne unavailable: " + answer.detail);
        metrics_.countPaymentSweep("transient");
        break;
    }
  }
}

void PaymentSweep::leaveToOperator(const SweepOptions& options, const std::string& payment_id,
                                   Timestamp now, const std::string& why, SweepPass& pass) const {
  if (!storage::markSweptPaymentUnresolved(database_, payment_id, now, why)) return;
  ++pass.unresolved;
  metrics_.countPaymentSweep("unresolved");
  NoticeRequest notice;
  notice.channel = options.admin_channel;
  notice.template_code = kUnresolvedPaymentTemplate;
  notice.payment_id = payment_id;
  notice.send_at = now;
  notice.fields = {{"reason", why}};
  const Outcome queued = storage::queueNotice(
      database_, notice, std::string("notice:") + kUnresolvedPaymentTemplate + ":" + payment_id);
  const std::string detail =
      "PAID at PortOne, no record here, left to an operator (" + why + "): " +
      (queued.isOk() ? std::string(kUnresolvedPaymentTemplate) + " to " + options.admin_channel
                     : "alert failed: " + queued.code());
  log().warning("payment_id=" + payment_id + " stage=sweep result=unresolved " + detail);
  storage::PaymentLog(database_).recordEvent({payment_id, now, "sweep", "unresolved", detail});
}

}  // namespace paymentd::pipeline
