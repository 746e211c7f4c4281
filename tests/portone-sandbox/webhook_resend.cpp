#include "webhook_resend.h"

#include "portone_json.h"
#include "sandbox_actions.h"

namespace paymentd::sandbox {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Object;

HttpResponse error(int status, const std::string& type, const std::string& message) {
  return http::jsonResponse(status, errorBody(type, message));
}

HttpResponse bad(const std::string& message) {
  return http::errorResponse(400, "BAD_CONTROL_REQUEST", message);
}

// The webhook type a payment's last status change sent.
std::string latestWebhookType(const SandboxPayment& payment) {
  if (payment.status == "FAILED") return "Transaction.Failed";
  if (payment.status == "CANCELLED") return "Transaction.Cancelled";
  if (payment.status == "PARTIAL_CANCELLED") return "Transaction.PartialCancelled";
  if (payment.status == "VIRTUAL_ACCOUNT_ISSUED") return "Transaction.VirtualAccountIssued";
  if (payment.status == "PAY_PENDING") return "Transaction.PayPending";
  if (payment.status == "READY") return "Transaction.Ready";
  return "Transaction.Paid";
}

HttpResponse handleJson(const HttpRequest& request,
                        const std::function<HttpResponse(const Object&)>& handler) {
  Object::Ptr input = bodyObject(request.body);
  if (!input) return bad("body is not a JSON object");
  return handler(*input);
}

}  // namespace

HttpResponse resendWebhook(SandboxContext& context, const std::string& payment_id,
                           const Object& input) {
  if (auto store_id = optText(input, "storeId");
      store_id && *store_id != context.options.store_id) {
    return error(403, "FORBIDDEN", "요청이 거절되었습니다.");
  }
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.payments.find(payment_id);
  if (it == context.state.payments.end()) {
    return error(404, "PAYMENT_NOT_FOUND", "결제 건이 존재하지 않습니다.");
  }
  SandboxPayment& payment = it->second;
  if (payment.notice_urls.empty()) {
    return error(404, "WEBHOOK_NOT_FOUND", "웹훅 내역이 존재하지 않습니다.");
  }
  if (context.state.resend_limit >= 0 && payment.webhook_resends >= context.state.resend_limit) {
    return error(400, "MAX_WEBHOOK_RETRY_COUNT_REACHED", "최대 웹훅 재시도 횟수에 도달했습니다.");
  }
  ++payment.webhook_resends;
  const std::string type = latestWebhookType(payment);
  notifyPayment(context, payment, type);
  Object webhook;  // PaymentWebhook: the fields a caller may read
  webhook.set("id", context.state.newId("sandbox-resent-webhook"));
  webhook.set("paymentStatus", payment.status);
  webhook.set("url", payment.notice_urls.front());
  webhook.set("isAsync", true);
  webhook.set("trigger", "MANUAL");
  webhook.set("triggeredAt", timeText(context.state.now()));
  Object answer;
  answer.set("webhook", webhook);
  return http::jsonResponse(200, toJson(answer));
}

void addResendControlRoutes(http::Router& router, SandboxContext& context) {
  SandboxContext* c = &context;
  router.add("POST", "/_sandbox/webhooks/unreachable", [c](const HttpRequest& request) {
    return handleJson(request, [c](const Object& input) {
      const auto payment_id = optText(input, "paymentId");
      if (!payment_id) return bad("paymentId is required");
      const bool unreachable = !input.has("unreachable") || !input.get("unreachable").isBoolean() ||
                               input.getValue<bool>("unreachable");
      c->sender.setUnreachable(*payment_id, unreachable);
      Object answer;
      answer.set("paymentId", *payment_id);
      answer.set("unreachable", unreachable);
      return http::jsonResponse(200, toJson(answer));
    });
  });
  router.add("POST", "/_sandbox/resend-limit", [c](const HttpRequest& request) {
    return handleJson(request, [c](const Object& input) {
      const auto limit = optInteger(input, "limit");
      if (!limit || *limit < -1) return bad("limit (-1: none, or >= 0) is required");
      std::lock_guard lock(c->state.mutex);
      c->state.resend_limit = static_cast<int>(*limit);
      Object answer;
      answer.set("limit", *limit);
      return http::jsonResponse(200, toJson(answer));
    });
  });
}

}  // namespace paymentd::sandbox
