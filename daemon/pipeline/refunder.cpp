#include "pipeline/refunder.h"

#include "failpoint/failpoint.h"
#include "paymentd/outbox.h"
#include "pipeline/stopwatch.h"
#include "storage/errors.h"
#include "storage/transaction.h"

namespace paymentd::pipeline {

Refunder::Refunder(const core::PaymentGateway& gateway, storage::Database& database,
                   metrics::Metrics& metrics, std::string admin_channel)
    : gateway_(gateway),
      database_(database),
      metrics_(metrics),
      admin_channel_(std::move(admin_channel)) {}

std::string Refunder::idempotencyKey(const std::string& payment_id) {
  return "paymentd-refund-" + payment_id;
}

storage::RefundedPayment refundedEvent(const Payment& payment, const Claims& claims,
                                       std::int64_t amount) {
  // "auto": whoever finishes paymentd's own refund tells it once.
  return {payment.id, claims.user_id.value_or(payment.customer_id.value_or("")), std::nullopt,
          amount, "auto"};
}

RefundResult Refunder::refund(const Payment& payment, const Claims& claims, const std::string& code,
                              const std::string& message, PaymentTrace& trace) const {
  storage::PaymentLog log(database_);
  const std::int64_t cancellable = payment.amount.total - payment.amount.cancelled;
  if (cancellable <= 0) {
    // Nothing was charged (a free trial) or all of it is back: a finished
    // refund. PortOne would refuse to cancel 0 KRW, and asking again forever helps no one.
    log.recordFailure(storage::PaymentFailure{payment.id, claims.payment_type, code, message,
                                              storage::RefundState::kDone});
    const RefundResult result{true, "nothing to give back: 0 KRW cancellable"};
    metrics_.countRefund(code, "done");
    trace.add("refund", "done", result.detail);
    notifyAdmin(payment, claims, code, result, trace);
    return result;
  }
  log.recordFailure(storage::PaymentFailure{payment.id, claims.payment_type, code, message,
                                            storage::RefundState::kIntended});
  trace.record("refund", "intended", code);
  failpoint::hit(failpoint::kAfterRefundIntent);

  const Stopwatch watch;
  const core::RefundAnswer answer = gateway_.refund(core::RefundRequest{
      payment.id, "paymentd: " + code, cancellable, idempotencyKey(payment.id)});
  if (answer.refunded) failpoint::hit(failpoint::kAfterCancel);
  const RefundResult result{answer.refunded, answer.detail};
  metrics_.observeStage("refund", watch.seconds());
  metrics_.countRefund(code, result.refunded ? "done" : "failed");

  try {
    log.setRefund(payment.id,
                  result.refunded ? storage::RefundState::kDone : storage::RefundState::kFailed,
                  refundedEvent(payment, claims, cancellable));
  } catch (const storage::Error& e) {
    // PortOne's answer stands; the next delivery re-reads it with the same key.
    trace.logger().error("refund of " + payment.id +
                         " done at PortOne but not recorded: " + e.what());
  }
  trace.add("refund", result.refunded ? "done" : "failed", result.detail, watch.elapsed());
  notifyAdmin(payment, claims, code, result, trace);
  return result;
}

void Refunder::notifyAdmin(const Payment& payment, const Claims& claims, const std::string& code,
                           const RefundResult& result, PaymentTrace& trace) const {
  NoticeRequest notice;
  notice.channel = admin_channel_;
  notice.template_code = result.refunded ? "PAYMENT_REFUNDED" : "REFUND_FAILED";
  notice.user_id = claims.user_id.value_or("");
  notice.payment_id = payment.id;
  notice.fields = {{"reason", code},
                   {"amount", std::to_string(payment.amount.total)},
                   {"payment_type", claims.payment_type.value_or("")}};
  if (!result.refunded) notice.fields["error"] = result.detail;
  notice.send_at = database_.now();
  try {
    storage::Transaction transaction(database_);
    transaction.forPayment(payment.id);
    Outcome queued =
        transaction.store().sendNotice(notice, "notice:" + notice.template_code + ":" + payment.id);
    if (queued.isOk()) {
      transaction.commit();
      trace.add("notice", "queued", notice.template_code + " to " + admin_channel_);
      return;
    }
    trace.add("notice", "failed", queued.code() + ": " + queued.message());
  } catch (const storage::Error& e) {
    trace.add("notice", "failed", e.what());
  }
}

}  // namespace paymentd::pipeline
