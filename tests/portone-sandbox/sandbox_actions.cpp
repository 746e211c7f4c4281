#include "sandbox_actions.h"

#include <Poco/JSON/Object.h>

#include "portone_json.h"
#include "v1_schedule_runner.h"

namespace paymentd::sandbox {

void notifyPayment(SandboxContext& context, const SandboxPayment& payment, const std::string& type,
                   const std::string& cancellation_id) {
  if (payment.notice_urls.empty()) return;
  Poco::JSON::Object data;
  data.set("paymentId", payment.id);
  data.set("storeId", payment.store_id);
  data.set("transactionId", payment.transaction_id);
  if (!cancellation_id.empty()) data.set("cancellationId", cancellation_id);
  Poco::JSON::Object body;
  body.set("type", type);
  body.set("timestamp", timeText(context.state.now()));
  body.set("data", data);
  context.sender.send(context.state.newId("sandbox-webhook"), payment.id, type, toJson(body),
                      payment.notice_urls);
}

void notifyBillingKey(SandboxContext& context, const SandboxBillingKey& billing_key,
                      const std::string& type, const std::vector<std::string>& urls) {
  if (urls.empty()) return;
  Poco::JSON::Object data;
  data.set("storeId", context.options.store_id);
  data.set("billingKey", billing_key.key);
  Poco::JSON::Object body;
  body.set("type", type);
  body.set("timestamp", timeText(context.state.now()));
  body.set("data", data);
  context.sender.send(context.state.newId("sandbox-webhook"), "", type, toJson(body), urls);
}

void markPaid(SandboxContext& context, SandboxPayment& payment) {
  const auto now = context.state.now();
  payment.status = "PAID";
  payment.paid_at = now;
  payment.updated_at = now;
  payment.status_changed_at = now;
  if (payment.pg_tx_id.empty()) payment.pg_tx_id = context.state.newId("sandbox-pg-tx");
  if (payment.method_type.empty()) payment.method_type = "PaymentMethodCard";
}

void markFailed(SandboxContext& context, SandboxPayment& payment, const std::string& reason,
                const std::string& pg_code, const std::string& pg_message) {
  const auto now = context.state.now();
  payment.status = "FAILED";
  payment.failed_at = now;
  payment.updated_at = now;
  payment.status_changed_at = now;
  payment.failure_reason = reason;
  payment.pg_code = pg_code;
  payment.pg_message = pg_message;
}

SandboxCancellation cancelPaid(SandboxContext& context, SandboxPayment& payment,
                               std::int64_t amount, const std::string& reason,
                               const std::string& trigger, bool skip_webhook) {
  const auto now = context.state.now();
  SandboxCancellation cancellation{
      context.state.newId("sandbox-cancellation"), amount, reason, now, now, trigger};
  payment.cancellations.push_back(cancellation);
  payment.cancelled += amount;
  payment.status = payment.cancelled == payment.total ? "CANCELLED" : "PARTIAL_CANCELLED";
  payment.cancelled_at = now;
  payment.updated_at = now;
  payment.status_changed_at = now;
  if (!skip_webhook) {
    notifyPayment(
        context, payment,
        payment.status == "CANCELLED" ? "Transaction.Cancelled" : "Transaction.PartialCancelled",
        cancellation.id);
  }
  return cancellation;
}

bool chargeBillingKey(SandboxContext& context, SandboxBillingKey& billing_key,
                      SandboxPayment& payment) {
  payment.billing_key = billing_key.key;
  payment.method_type = "PaymentMethodCard";
  if (!payment.customer_id) payment.customer_id = billing_key.customer_id;
  if (billing_key.script.charge()) {
    markPaid(context, payment);
    return true;
  }
  markFailed(context, payment,
             "[" + billing_key.decline_pg_code + "] " + billing_key.decline_message,
             billing_key.decline_pg_code, billing_key.decline_message);
  return false;
}

std::vector<std::string> runDueSchedules(SandboxContext& context) {
  std::vector<std::string> ran;
  const auto now = context.state.now();
  for (auto& [id, schedule] : context.state.schedules) {
    if (schedule.status != "SCHEDULED" || schedule.time_to_pay > now) continue;
    auto& payment = context.state.payments[schedule.payment_id];
    payment.id = schedule.payment_id;
    payment.store_id = schedule.store_id;
    payment.transaction_id = context.state.newId("sandbox-tx");
    payment.requested_at = now;
    payment.total = schedule.total;
    payment.currency = schedule.currency;
    payment.order_name = schedule.order_name;
    payment.customer_id = schedule.customer_id;
    payment.customer_phone = schedule.customer_phone;
    payment.custom_data = schedule.custom_data;
    payment.notice_urls = schedule.notice_urls;
    payment.schedule_id = schedule.id;
    schedule.started_at = now;
    auto key = context.state.billing_keys.find(schedule.billing_key);
    bool paid = false;
    if (key != context.state.billing_keys.end() && !key->second.deleted) {
      paid = chargeBillingKey(context, key->second, payment);
    } else {
      payment.billing_key = schedule.billing_key;
      markFailed(context, payment, "billing key was deleted", "BILLING_KEY_DELETED", "deleted");
    }
    schedule.status = paid ? "SUCCEEDED" : "FAILED";
    schedule.completed_at = now;
    notifyPayment(context, payment, paid ? "Transaction.Paid" : "Transaction.Failed");
    ran.push_back(id);
  }
  for (std::string& merchant_uid : runDueV1Schedules(context))
    ran.push_back(std::move(merchant_uid));
  return ran;
}

}  // namespace paymentd::sandbox
