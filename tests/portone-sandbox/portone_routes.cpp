#include "portone_routes.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "payment_list.h"
#include "portone/rfc3339.h"
#include "portone_json.h"
#include "request_gate.h"
#include "sandbox_actions.h"
#include "webhook_resend.h"

namespace paymentd::sandbox {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Object;

HttpResponse error(int status, const std::string& type, const std::string& message) {
  return http::jsonResponse(status, errorBody(type, message));
}

HttpResponse ok(const Object& object) {
  return http::jsonResponse(200, toJson(object));
}

bool wrongStore(const SandboxContext& context, const std::optional<std::string>& store_id) {
  return store_id && *store_id != context.options.store_id;
}

// The part of the path after `prefix` up to the last '/', and the last segment.
std::pair<std::string, std::string> idAndAction(const std::string& path,
                                                const std::string& prefix) {
  const std::string rest = path.substr(prefix.size());
  const auto slash = rest.rfind('/');
  if (slash == std::string::npos) return {rest, ""};
  return {rest.substr(0, slash), rest.substr(slash + 1)};
}

HttpResponse getPayment(SandboxContext& context, const HttpRequest& request) {
  const std::string id = request.path.substr(std::string("/payments/").size());
  if (wrongStore(context, request.queryParam("storeId"))) {
    return error(403, "FORBIDDEN", "요청이 거절되었습니다.");
  }
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.payments.find(id);
  if (it == context.state.payments.end()) {
    return error(404, "PAYMENT_NOT_FOUND", "결제 건이 존재하지 않습니다.");
  }
  return ok(paymentJson(it->second, context.options));
}

HttpResponse cancelPayment(SandboxContext& context, const std::string& id, const Object& input) {
  const auto reason = optText(input, "reason");
  if (!reason) return error(400, "INVALID_REQUEST", "reason is required");
  if (wrongStore(context, optText(input, "storeId"))) {
    return error(403, "FORBIDDEN", "요청이 거절되었습니다.");
  }
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.payments.find(id);
  if (it == context.state.payments.end()) {
    return error(404, "PAYMENT_NOT_FOUND", "결제 건이 존재하지 않습니다.");
  }
  SandboxPayment& payment = it->second;
  if (payment.status == "CANCELLED") {
    return error(409, "PAYMENT_ALREADY_CANCELLED", "결제가 이미 취소되었습니다.");
  }
  if (payment.status != "PAID" && payment.status != "PARTIAL_CANCELLED") {
    return error(409, "PAYMENT_NOT_PAID", "결제가 완료되지 않았습니다.");
  }
  const std::int64_t cancellable = payment.total - payment.cancelled;
  const std::int64_t amount = optInteger(input, "amount").value_or(cancellable);
  if (auto expected = optInteger(input, "currentCancellableAmount");
      expected && *expected != cancellable) {
    return error(409, "CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN",
                 "취소 가능 잔액 검증에 실패했습니다.");
  }
  if (amount <= 0 || amount > cancellable) {
    return error(409, "CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT",
                 "결제 취소 금액이 취소 가능 금액을 초과했습니다.");
  }
  const bool skip_webhook = input.has("skipWebhook") && input.get("skipWebhook").isBoolean() &&
                            input.getValue<bool>("skipWebhook");
  const SandboxCancellation cancellation =
      cancelPaid(context, payment, amount, *reason, "API", skip_webhook);
  Object answer;
  answer.set("cancellation", cancellationJson(cancellation));
  return ok(answer);
}

// The shared part of billing-key pay and schedule input (BillingKeyPaymentInput).
struct ChargeInput {
  std::string billing_key;
  std::string order_name;
  std::int64_t total = 0;
  std::string currency;
  std::optional<std::string> customer_id;
  std::optional<std::string> customer_phone;
  std::optional<std::string> custom_data;
  std::vector<std::string> notice_urls;
};

std::optional<ChargeInput> chargeInput(const Object& input, std::string& problem) {
  ChargeInput charge;
  auto billing_key = optText(input, "billingKey");
  auto order_name = optText(input, "orderName");
  auto currency = optText(input, "currency");
  Object::Ptr amount = input.has("amount") ? input.getObject("amount") : nullptr;
  auto total = amount ? optInteger(*amount, "total") : std::nullopt;
  if (!billing_key || !order_name || !currency || !total) {
    problem = "billingKey, orderName, amount.total and currency are required";
    return std::nullopt;
  }
  charge.billing_key = *billing_key;
  charge.order_name = *order_name;
  charge.currency = *currency;
  charge.total = *total;
  charge.custom_data = optText(input, "customData");
  if (Object::Ptr customer = input.has("customer") ? input.getObject("customer") : nullptr) {
    charge.customer_id = optText(*customer, "id");
    charge.customer_phone = optText(*customer, "phoneNumber");
  }
  if (auto urls = input.has("noticeUrls") ? input.getArray("noticeUrls") : nullptr) {
    for (std::size_t i = 0; i < urls->size(); ++i) {
      charge.notice_urls.push_back(urls->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  return charge;
}

HttpResponse payWithBillingKey(SandboxContext& context, const std::string& id,
                               const Object& input) {
  std::string problem;
  auto charge = chargeInput(input, problem);
  if (!charge) return error(400, "INVALID_REQUEST", problem);
  if (wrongStore(context, optText(input, "storeId"))) {
    return error(403, "FORBIDDEN", "요청이 거절되었습니다.");
  }
  std::lock_guard lock(context.state.mutex);
  auto key = context.state.billing_keys.find(charge->billing_key);
  if (key == context.state.billing_keys.end()) {
    return error(404, "BILLING_KEY_NOT_FOUND", "빌링키가 존재하지 않습니다.");
  }
  if (key->second.deleted)
    return error(409, "BILLING_KEY_ALREADY_DELETED", "빌링키가 이미 삭제되었습니다.");
  auto existing = context.state.payments.find(id);
  if (existing != context.state.payments.end() && existing->second.status != "READY" &&
      existing->second.status != "FAILED") {
    return error(409, "ALREADY_PAID", "결제가 이미 완료되었습니다.");
  }
  for (const auto& [schedule_id, schedule] : context.state.schedules) {
    if (schedule.payment_id == id && schedule.status == "SCHEDULED") {
      return error(409, "PAYMENT_SCHEDULE_ALREADY_EXISTS", "결제 예약건이 이미 존재합니다.");
    }
  }
  SandboxPayment& payment = context.state.payments[id];
  const auto now = context.state.now();
  payment.id = id;
  payment.store_id = context.options.store_id;
  payment.transaction_id = context.state.newId("sandbox-tx");
  payment.requested_at = now;
  payment.total = charge->total;
  payment.currency = charge->currency;
  payment.order_name = charge->order_name;
  payment.customer_id = charge->customer_id;
  payment.customer_phone = charge->customer_phone;
  payment.custom_data = charge->custom_data;
  payment.notice_urls = charge->notice_urls;
  const bool paid = chargeBillingKey(context, key->second, payment);
  const bool skip_webhook = input.has("skipWebhook") && input.get("skipWebhook").isBoolean() &&
                            input.getValue<bool>("skipWebhook");
  if (!skip_webhook || !paid)
    notifyPayment(context, payment, paid ? "Transaction.Paid" : "Transaction.Failed");
  if (!paid) {
    Object body;
    body.set("type", "PG_PROVIDER");
    body.set("message", payment.failure_reason);
    body.set("pgCode", payment.pg_code);
    body.set("pgMessage", payment.pg_message);
    return http::jsonResponse(502, toJson(body));
  }
  Object summary;
  summary.set("pgTxId", payment.pg_tx_id);
  summary.set("paidAt", timeText(*payment.paid_at));
  Object answer;
  answer.set("payment", summary);
  return ok(answer);
}

HttpResponse createSchedule(SandboxContext& context, const std::string& id, const Object& input) {
  Object::Ptr payment_input = input.has("payment") ? input.getObject("payment") : nullptr;
  const auto time_text = optText(input, "timeToPay");
  const auto time_to_pay = time_text ? portone::parseRfc3339(*time_text) : std::nullopt;
  std::string problem = "payment and timeToPay (RFC 3339) are required";
  auto charge = payment_input ? chargeInput(*payment_input, problem) : std::nullopt;
  if (!charge || !time_to_pay) return error(400, "INVALID_REQUEST", problem);
  if (wrongStore(context, optText(*payment_input, "storeId"))) {
    return error(403, "FORBIDDEN", "요청이 거절되었습니다.");
  }
  std::lock_guard lock(context.state.mutex);
  auto key = context.state.billing_keys.find(charge->billing_key);
  if (key == context.state.billing_keys.end()) {
    return error(404, "BILLING_KEY_NOT_FOUND", "빌링키가 존재하지 않습니다.");
  }
  if (key->second.deleted)
    return error(409, "BILLING_KEY_ALREADY_DELETED", "빌링키가 이미 삭제되었습니다.");
  for (const auto& [schedule_id, schedule] : context.state.schedules) {
    if (schedule.payment_id == id && schedule.status != "REVOKED") {
      return error(409, "PAYMENT_SCHEDULE_ALREADY_EXISTS", "결제 예약건이 이미 존재합니다.");
    }
  }
  auto existing = context.state.payments.find(id);
  if (existing != context.state.payments.end() && existing->second.status == "PAID") {
    return error(409, "ALREADY_PAID_OR_WAITING", "결제가 이미 완료되었거나 대기중입니다.");
  }
  SandboxSchedule schedule;
  schedule.id = context.state.newId("sandbox-schedule");
  schedule.payment_id = id;
  schedule.store_id = context.options.store_id;
  schedule.billing_key = charge->billing_key;
  schedule.order_name = charge->order_name;
  schedule.customer_id = charge->customer_id;
  schedule.customer_phone = charge->customer_phone;
  schedule.custom_data = charge->custom_data;
  schedule.total = charge->total;
  schedule.currency = charge->currency;
  schedule.notice_urls = charge->notice_urls;
  schedule.time_to_pay = *time_to_pay;
  schedule.created_at = context.state.now();
  Object summary;
  summary.set("id", schedule.id);
  context.state.schedules.emplace(schedule.id, std::move(schedule));
  Object answer;
  answer.set("schedule", summary);
  return ok(answer);
}

HttpResponse postPayment(SandboxContext& context, const HttpRequest& request) {
  const auto [id, action] = idAndAction(request.path, "/payments/");
  Object::Ptr input = bodyObject(request.body);
  if (!input) return error(400, "INVALID_REQUEST", "body is not a JSON object");
  if (id.empty()) return error(404, "PAYMENT_NOT_FOUND", "결제 건이 존재하지 않습니다.");
  if (action == "cancel") return cancelPayment(context, id, *input);
  if (action == "billing-key") return payWithBillingKey(context, id, *input);
  if (action == "schedule") return createSchedule(context, id, *input);
  if (action == "resend-webhook") return resendWebhook(context, id, *input);
  return error(404, "NOT_FOUND", "the sandbox does not know this PortOne path");
}

HttpResponse getSchedule(SandboxContext& context, const HttpRequest& request) {
  const std::string id = request.path.substr(std::string("/payment-schedules/").size());
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.schedules.find(id);
  if (it == context.state.schedules.end()) {
    return error(404, "PAYMENT_SCHEDULE_NOT_FOUND", "결제 예약건이 존재하지 않습니다.");
  }
  return ok(scheduleJson(it->second, context.options));
}

HttpResponse getBillingKey(SandboxContext& context, const HttpRequest& request) {
  const std::string key = request.path.substr(std::string("/billing-keys/").size());
  if (wrongStore(context, request.queryParam("storeId"))) {
    return error(403, "FORBIDDEN", "요청이 거절되었습니다.");
  }
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.billing_keys.find(key);
  if (it == context.state.billing_keys.end()) {
    return error(404, "BILLING_KEY_NOT_FOUND", "빌링키가 존재하지 않습니다.");
  }
  return ok(billingKeyJson(it->second, context.options));
}

HttpResponse revokeSchedules(SandboxContext& context, const HttpRequest& request) {
  Object::Ptr input = bodyObject(request.queryParam("requestBody").value_or(""));
  if (!input) return error(400, "INVALID_REQUEST", "requestBody is not a JSON object");
  const auto billing_key = optText(*input, "billingKey");
  std::vector<std::string> ids;
  if (auto array = input->has("scheduleIds") ? input->getArray("scheduleIds") : nullptr) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      ids.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  if (!billing_key && ids.empty()) {
    return error(400, "INVALID_REQUEST", "billingKey or scheduleIds is required");
  }
  std::lock_guard lock(context.state.mutex);
  if (billing_key && context.state.billing_keys.count(*billing_key) == 0) {
    return error(404, "BILLING_KEY_NOT_FOUND", "빌링키가 존재하지 않습니다.");
  }
  std::vector<SandboxSchedule*> targets;
  for (const auto& id : ids) {
    auto it = context.state.schedules.find(id);
    if (it == context.state.schedules.end()) {
      return error(404, "PAYMENT_SCHEDULE_NOT_FOUND", "결제 예약건이 존재하지 않습니다.");
    }
    if (it->second.status == "REVOKED") {
      return error(409, "PAYMENT_SCHEDULE_ALREADY_REVOKED", "결제 예약건이 이미 취소되었습니다.");
    }
    if (it->second.status != "SCHEDULED") {
      return error(409, "PAYMENT_SCHEDULE_ALREADY_PROCESSED", "결제 예약건이 이미 처리되었습니다.");
    }
    targets.push_back(&it->second);
  }
  if (billing_key && ids.empty()) {
    for (auto& [id, schedule] : context.state.schedules) {
      if (schedule.billing_key == *billing_key && schedule.status == "SCHEDULED")
        targets.push_back(&schedule);
    }
  }
  const auto now = context.state.now();
  Poco::JSON::Array revoked;
  for (auto* schedule : targets) {  // all or nothing: every check passed above
    schedule->status = "REVOKED";
    schedule->revoked_at = now;
    revoked.add(schedule->id);
  }
  Object answer;
  answer.set("revokedScheduleIds", revoked);
  answer.set("revokedAt", timeText(now));
  return ok(answer);
}

}  // namespace

void addPortOneRoutes(http::Router& router, SandboxContext& context) {
  router.add("GET", "/payments/*", gated(context, [&context](const HttpRequest& request) {
               return getPayment(context, request);
             }));
  router.add("GET", "/payments", gated(context, [&context](const HttpRequest& request) {
               return listPayments(context, request);
             }));
  router.add("POST", "/payments/*", gated(context, [&context](const HttpRequest& request) {
               return postPayment(context, request);
             }));
  router.add("GET", "/payment-schedules/*", gated(context, [&context](const HttpRequest& request) {
               return getSchedule(context, request);
             }));
  router.add("GET", "/billing-keys/*", gated(context, [&context](const HttpRequest& request) {
               return getBillingKey(context, request);
             }));
  router.add("DELETE", "/payment-schedules", gated(context, [&context](const HttpRequest& request) {
               return revokeSchedules(context, request);
             }));
}

}  // namespace paymentd::sandbox
