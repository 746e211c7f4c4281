// The control side of the sandbox's V1: payments in any state, tokens PortOne expired,
// the schedules it holds.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "portone_json.h"
#include "v1_json.h"
#include "v1_routes.h"

namespace paymentd::sandbox {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Object;

HttpResponse bad(const std::string& message) {
  return http::errorResponse(400, "BAD_CONTROL_REQUEST", message);
}

// POST /_sandbox/v1/payments: create or replace a V1 payment. `amount` may be any JSON
// number; one that is not a whole int64 is served as it came, for clients to refuse.
HttpResponse createPayment(SandboxContext& context, const HttpRequest& request) {
  Object::Ptr input = bodyObject(request.body);
  if (!input) return bad("body is not a JSON object");
  V1Payment payment;
  payment.imp_uid = optText(*input, "imp_uid").value_or("");
  payment.merchant_uid = optText(*input, "merchant_uid").value_or("");
  if (payment.imp_uid.empty() || payment.merchant_uid.empty()) {
    return bad("imp_uid and merchant_uid are required");
  }
  payment.status = optText(*input, "status").value_or("paid");
  if (input->has("amount") && input->get("amount").isNumeric() &&
      !input->get("amount").isInteger()) {
    payment.odd_amount = input->getValue<double>("amount");
  } else {
    payment.amount = optInteger(*input, "amount").value_or(10000);
  }
  payment.cancel_amount = optInteger(*input, "cancel_amount").value_or(0);
  payment.pay_method = optText(*input, "pay_method").value_or("card");
  payment.currency = optText(*input, "currency").value_or("KRW");
  payment.name = optText(*input, "name").value_or("sandbox order");
  payment.customer_uid = optText(*input, "customer_uid");
  payment.customer_uid_usage = optText(*input, "customer_uid_usage").value_or("");
  payment.buyer_tel = optText(*input, "buyer_tel");
  payment.fail_reason = optText(*input, "fail_reason").value_or("");
  std::lock_guard lock(context.state.mutex);
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(context.state.now().time_since_epoch())
          .count();
  if (payment.status == "paid" || payment.status == "cancelled") payment.paid_at = now;
  if (payment.status == "failed") payment.failed_at = now;
  if (payment.status == "cancelled") payment.cancelled_at = now;
  const Object json = v1PaymentJson(payment);
  context.state.v1.payments[payment.imp_uid] = std::move(payment);
  return http::jsonResponse(201, toJson(json));
}

// GET /_sandbox/v1/schedules: every schedule, with the JSON the client sent for it.
HttpResponse listSchedules(SandboxContext& context) {
  std::lock_guard lock(context.state.mutex);
  Poco::JSON::Array list;
  for (const auto& [merchant_uid, entry] : context.state.v1.schedules) {
    Object item = v1ScheduleJson(entry);
    Poco::JSON::Parser parser;
    item.set("request", parser.parse(entry.request));
    list.add(item);
  }
  Object answer;
  answer.set("schedules", list);
  return http::jsonResponse(200, toJson(answer));
}

}  // namespace

void addV1ControlRoutes(http::Router& router, SandboxContext& context) {
  SandboxContext* c = &context;
  router.add("POST", "/_sandbox/v1/payments",
             [c](const HttpRequest& request) { return createPayment(*c, request); });
  // As PortOne does when a token's 30 minutes are up (or it revoked it).
  router.add("POST", "/_sandbox/v1/tokens/expire", [c](const HttpRequest&) {
    std::lock_guard lock(c->state.mutex);
    Object answer;
    answer.set("expired", c->state.v1.tokens.size());
    c->state.v1.tokens.clear();
    return http::jsonResponse(200, toJson(answer));
  });
  router.add("GET", "/_sandbox/v1/schedules",
             [c](const HttpRequest&) { return listSchedules(*c); });
}

}  // namespace paymentd::sandbox
