#include "control_routes.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <map>

#include "portone_json.h"
#include "sandbox_actions.h"

namespace paymentd::sandbox {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

HttpResponse bad(const std::string& message) {
  return http::errorResponse(400, "BAD_CONTROL_REQUEST", message);
}

HttpResponse ok(const Object& object, int status = 200) {
  return http::jsonResponse(status, toJson(object));
}

std::vector<std::string> texts(const Object& object, const std::string& key) {
  std::vector<std::string> out;
  if (auto array = object.has(key) ? object.getArray(key) : nullptr) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  return out;
}

// "card" or "PaymentMethodCard" -> "PaymentMethodCard".
std::optional<std::string> methodType(const std::string& name) {
  static const std::map<std::string, std::string> kShort = {
      {"card", "PaymentMethodCard"},
      {"transfer", "PaymentMethodTransfer"},
      {"virtualAccount", "PaymentMethodVirtualAccount"},
      {"easyPay", "PaymentMethodEasyPay"},
      {"mobile", "PaymentMethodMobile"},
      {"giftCertificate", "PaymentMethodGiftCertificate"},
      {"convenienceStore", "PaymentMethodConvenienceStore"},
      {"crypto", "PaymentMethodCrypto"}};
  if (auto it = kShort.find(name); it != kShort.end()) return it->second;
  if (name.rfind("PaymentMethod", 0) == 0) return name;
  return std::nullopt;
}

// POST /_sandbox/payments: create or replace a payment in any state.
HttpResponse createPayment(SandboxContext& context, const Object& input) {
  const auto id = optText(input, "id");
  if (!id || id->empty()) return bad("id is required");
  SandboxPayment payment;
  payment.id = *id;
  payment.status = optText(input, "status").value_or("READY");
  payment.total = optInteger(input, "amount").value_or(10000);
  payment.currency = optText(input, "currency").value_or("KRW");
  payment.order_name = optText(input, "orderName").value_or("sandbox order");
  payment.store_id = optText(input, "storeId").value_or(context.options.store_id);
  payment.channel_type = optText(input, "channel").value_or("TEST");
  payment.billing_key = optText(input, "billingKey");
  payment.customer_id = optText(input, "customerId");
  payment.customer_phone = optText(input, "customerPhone");
  payment.custom_data = optText(input, "customData");
  payment.notice_urls = texts(input, "noticeUrls");
  if (auto url = optText(input, "noticeUrl")) payment.notice_urls.push_back(*url);
  if (auto brand = optText(input, "cardBrand")) payment.card_brand = *brand;
  if (auto type = optText(input, "cardType")) payment.card_type = *type;
  if (auto method = optText(input, "method")) {
    auto type = methodType(*method);
    if (!type) return bad("unknown method '" + *method + "'");
    payment.method_type = *type;
  } else if (payment.status != "READY") {
    payment.method_type = "PaymentMethodCard";
  }
  std::lock_guard lock(context.state.mutex);
  const auto now = context.state.now();
  payment.transaction_id = context.state.newId("sandbox-tx");
  payment.requested_at = payment.updated_at = payment.status_changed_at = now;
  if (payment.status == "PAID" || payment.status == "CANCELLED" ||
      payment.status == "PARTIAL_CANCELLED") {
    payment.paid_at = now;
    payment.pg_tx_id = context.state.newId("sandbox-pg-tx");
  }
  if (payment.status == "CANCELLED") {
    payment.cancelled = payment.total;
    payment.cancelled_at = now;
    payment.cancellations.push_back({context.state.newId("sandbox-cancellation"), payment.total,
                                     "created cancelled", now, now});
  }
  if (payment.status == "PARTIAL_CANCELLED") {
    payment.cancelled = optInteger(input, "cancelledAmount").value_or(payment.total / 2);
    payment.cancelled_at = now;
    payment.cancellations.push_back({context.state.newId("sandbox-cancellation"), payment.cancelled,
                                     "created partially cancelled", now, now});
  }
  if (payment.status == "FAILED") {
    payment.failed_at = now;
    payment.failure_reason = optText(input, "failureReason").value_or("[SANDBOX] failed");
  }
  if (payment.status == "PAY_PENDING" || payment.status == "VIRTUAL_ACCOUNT_ISSUED") {
    payment.pg_tx_id = context.state.newId("sandbox-pg-tx");
  }
  if (payment.billing_key && context.state.billing_keys.count(*payment.billing_key) == 0) {
    SandboxBillingKey& key = context.state.billing_keys[*payment.billing_key];
    key.key = *payment.billing_key;
    key.customer_id = payment.customer_id;
    key.issued_at = now;
  }
  const Object json = paymentJson(payment, context.options);
  context.state.payments[payment.id] = std::move(payment);
  return ok(json, 201);
}

// POST /_sandbox/payments/{id}/pay | /fail | /webhook
HttpResponse paymentAction(SandboxContext& context, const HttpRequest& request) {
  const std::string rest = request.path.substr(std::string("/_sandbox/payments/").size());
  const auto slash = rest.rfind('/');
  if (slash == std::string::npos) return http::errorResponse(404, "NOT_FOUND", "no such action");
  const std::string id = rest.substr(0, slash), action = rest.substr(slash + 1);
  Object::Ptr input = bodyObject(request.body);
  if (!input) return bad("body is not a JSON object");
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.payments.find(id);
  if (it == context.state.payments.end())
    return http::errorResponse(404, "NOT_FOUND", "no payment " + id);
  SandboxPayment& payment = it->second;
  if (action == "pay") {
    markPaid(context, payment);
    notifyPayment(context, payment, "Transaction.Paid");
  } else if (action == "fail") {
    markFailed(context, payment, optText(*input, "reason").value_or("[SANDBOX] failed"),
               optText(*input, "pgCode").value_or(""), optText(*input, "pgMessage").value_or(""));
    notifyPayment(context, payment, "Transaction.Failed");
  } else if (action == "cancel") {
    // A refund made in PortOne's console: PortOne's own webhooks follow.
    if (payment.status != "PAID" && payment.status != "PARTIAL_CANCELLED") {
      return http::errorResponse(409, "PAYMENT_NOT_PAID",
                                 "payment " + id + " is " + payment.status);
    }
    const std::int64_t cancellable = payment.total - payment.cancelled;
    const std::int64_t amount = optInteger(*input, "amount").value_or(cancellable);
    if (amount <= 0 || amount > cancellable) {
      return bad("amount must be 1 to " + std::to_string(cancellable));
    }
    cancelPaid(context, payment, amount, optText(*input, "reason").value_or("console refund"),
               optText(*input, "trigger").value_or("CONSOLE"), false);
  } else if (action == "webhook") {
    const auto type = optText(*input, "type");
    if (!type) return bad("type is required");
    notifyPayment(context, payment, *type, optText(*input, "cancellationId").value_or(""));
  } else {
    return http::errorResponse(404, "NOT_FOUND", "no such action '" + action + "'");
  }
  return ok(paymentJson(payment, context.options));
}

// A card number as PortOne would take it: 12 to 19 digits.
bool cardNumberLooksReal(const std::string& number) {
  if (number.size() < 12 || number.size() > 19) return false;
  return number.find_first_not_of("0123456789") == std::string::npos;
}

// POST /_sandbox/billing-keys: {billingKey, customerId?, cardNumber?, script?:
// ["succeed"|"decline"...], then?: "succeed"|"decline", declines?: N, deleted?: bool}
HttpResponse setBillingKey(SandboxContext& context, const Object& input) {
  const auto key = optText(input, "billingKey");
  if (!key) return bad("billingKey is required");
  SandboxBillingKey billing_key;
  billing_key.key = *key;
  billing_key.customer_id = optText(input, "customerId");
  if (auto number = optText(input, "cardNumber")) {
    if (!cardNumberLooksReal(*number)) return bad("cardNumber is 12 to 19 digits");
    billing_key.card_number = *number;
  }
  for (int i = 0; i < optInteger(input, "declines").value_or(0); ++i) {
    billing_key.script.next_succeeds.push_back(false);
  }
  for (const auto& step : texts(input, "script")) {
    if (step != "succeed" && step != "decline") return bad("script steps are succeed or decline");
    billing_key.script.next_succeeds.push_back(step == "succeed");
  }
  if (auto code = optText(input, "declineCode")) billing_key.decline_pg_code = *code;
  if (auto message = optText(input, "declineMessage")) billing_key.decline_message = *message;
  const std::string then = optText(input, "then").value_or("succeed");
  if (then != "succeed" && then != "decline") return bad("then is succeed or decline");
  billing_key.script.then_succeeds = then == "succeed";
  if (input.has("deleted") && input.get("deleted").isBoolean()) {
    billing_key.deleted = input.getValue<bool>("deleted");
  }
  std::lock_guard lock(context.state.mutex);
  billing_key.issued_at = context.state.now();
  if (billing_key.deleted) billing_key.deleted_at = billing_key.issued_at;
  context.state.billing_keys[*key] = std::move(billing_key);
  Object answer;
  answer.set("billingKey", *key);
  return ok(answer, 201);
}

// POST /_sandbox/billing-keys/{key}/delete {noticeUrl?, noticeUrls?}: deleted
// as in PortOne's console; BillingKey.Deleted goes to the given URLs.
HttpResponse deleteBillingKey(SandboxContext& context, const HttpRequest& request) {
  const std::string rest = request.path.substr(std::string("/_sandbox/billing-keys/").size());
  const auto slash = rest.rfind('/');
  if (slash == std::string::npos || rest.substr(slash + 1) != "delete") {
    return http::errorResponse(404, "NOT_FOUND", "no such action");
  }
  const std::string key = rest.substr(0, slash);
  Object::Ptr input = bodyObject(request.body);
  if (!input) return bad("body is not a JSON object");
  std::vector<std::string> urls = texts(*input, "noticeUrls");
  if (auto url = optText(*input, "noticeUrl")) urls.push_back(*url);
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.billing_keys.find(key);
  if (it == context.state.billing_keys.end()) {
    return http::errorResponse(404, "NOT_FOUND", "no billing key " + key);
  }
  it->second.deleted = true;
  it->second.deleted_at = context.state.now();
  notifyBillingKey(context, it->second, "BillingKey.Deleted", urls);
  Object answer;
  answer.set("billingKey", key);
  answer.set("status", "DELETED");
  return ok(answer);
}

// POST /_sandbox/faults: {method?, path, kind: status|delay|drop|drop_after, status?, type?,
// delayMs?, count? (default 1, -1 forever)}
HttpResponse addFault(SandboxContext& context, const Object& input) {
  static const std::map<std::string, FaultKind> kKinds = {{"status", FaultKind::kStatus},
                                                          {"delay", FaultKind::kDelay},
                                                          {"drop", FaultKind::kDrop},
                                                          {"drop_after", FaultKind::kDropAfter}};
  const auto kind = kKinds.find(optText(input, "kind").value_or(""));
  if (kind == kKinds.end()) return bad("kind must be status, delay, drop or drop_after");
  Fault fault;
  fault.kind = kind->second;
  fault.method = optText(input, "method").value_or("");
  fault.path_prefix = optText(input, "path").value_or("/");
  fault.status = static_cast<int>(optInteger(input, "status").value_or(500));
  fault.type = optText(input, "type")
                   .value_or(fault.status == 503 ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR");
  fault.delay = std::chrono::milliseconds(optInteger(input, "delayMs").value_or(0));
  fault.remaining = static_cast<int>(optInteger(input, "count").value_or(1));
  std::lock_guard lock(context.state.mutex);
  fault.id = static_cast<int>(context.state.next_id++);
  context.state.faults.push_back(fault);
  Object answer;
  answer.set("id", fault.id);
  return ok(answer, 201);
}

// GET /_sandbox/requests?method=&path=&pathPrefix=&idempotencyKey=
HttpResponse listRequests(SandboxContext& context, const HttpRequest& request) {
  const auto method = request.queryParam("method");
  const auto path = request.queryParam("path");
  const auto prefix = request.queryParam("pathPrefix");
  Array list;
  std::lock_guard lock(context.state.mutex);
  for (const auto& logged : context.state.requests) {
    if (method && logged.method != *method) continue;
    if (path && logged.path != *path) continue;
    if (prefix && logged.path.rfind(*prefix, 0) != 0) continue;
    Object item;
    item.set("seq", logged.seq);
    item.set("method", logged.method);
    item.set("path", logged.path);
    item.set("query", logged.query);
    item.set("idempotencyKey", logged.idempotency_key);
    item.set("body", logged.body);
    item.set("client", logged.client);
    item.set("authorized", logged.authorized);
    item.set("status", logged.status);
    item.set("fault", logged.fault);
    list.add(item);
  }
  Object answer;
  answer.set("requests", list);
  return ok(answer);
}

HttpResponse clockAnswer(SandboxContext& context, const std::vector<std::string>& ran) {
  Array ids;
  for (const auto& id : ran) ids.add(id);
  Object answer;
  answer.set("now", timeText(context.state.now()));
  answer.set("ranSchedules", ids);
  return ok(answer);
}

HttpResponse webhookMode(SandboxContext& context, const Object& input) {
  WebhookMode mode = context.sender.mode();
  if (auto v = optInteger(input, "duplicates")) mode.duplicates = static_cast<int>(*v);
  if (auto v = optInteger(input, "dropNext")) mode.drop_next = static_cast<int>(*v);
  if (input.has("hold") && input.get("hold").isBoolean()) mode.hold = input.getValue<bool>("hold");
  context.sender.setMode(mode);
  Object answer;
  answer.set("duplicates", mode.duplicates);
  answer.set("dropNext", mode.drop_next);
  answer.set("hold", mode.hold);
  return ok(answer);
}

HttpResponse listWebhooks(SandboxContext& context) {
  Array list;
  for (const auto& record : context.sender.deliveries()) {
    Object item;
    item.set("webhookId", record.webhook_id);
    item.set("paymentId", record.payment_id);
    item.set("type", record.type);
    item.set("url", record.url);
    item.set("attempt", record.attempt);
    item.set("status", record.status);
    item.set("outcome", record.outcome);
    item.set("error", record.error);
    list.add(item);
  }
  Object answer;
  answer.set("deliveries", list);
  return ok(answer);
}

// Wraps a handler that needs the body as a JSON object.
http::Handler withBody(std::function<HttpResponse(const Object&)> handler) {
  return [handler = std::move(handler)](const HttpRequest& request) {
    Object::Ptr input = bodyObject(request.body);
    if (!input) return bad("body is not a JSON object");
    return handler(*input);
  };
}

}  // namespace

void addControlRoutes(http::Router& router, SandboxContext& context) {
  SandboxContext* c = &context;
  router.add("POST", "/_sandbox/payments",
             withBody([c](const Object& input) { return createPayment(*c, input); }));
  router.add("POST", "/_sandbox/payments/*",
             [c](const HttpRequest& request) { return paymentAction(*c, request); });
  router.add("POST", "/_sandbox/billing-keys",
             withBody([c](const Object& input) { return setBillingKey(*c, input); }));
  router.add("POST", "/_sandbox/billing-keys/*",
             [c](const HttpRequest& request) { return deleteBillingKey(*c, request); });
  router.add("POST", "/_sandbox/faults",
             withBody([c](const Object& input) { return addFault(*c, input); }));
  router.add("DELETE", "/_sandbox/faults", [c](const HttpRequest&) {
    std::lock_guard lock(c->state.mutex);
    c->state.faults.clear();
    return http::jsonResponse(200, "{}");
  });
  router.add("GET", "/_sandbox/requests",
             [c](const HttpRequest& request) { return listRequests(*c, request); });
  router.add("DELETE", "/_sandbox/requests", [c](const HttpRequest&) {
    std::lock_guard lock(c->state.mutex);
    c->state.requests.clear();
    return http::jsonResponse(200, "{}");
  });
  router.add("GET", "/_sandbox/clock", [c](const HttpRequest&) {
    std::lock_guard lock(c->state.mutex);
    return clockAnswer(*c, {});
  });
  router.add("POST", "/_sandbox/clock/advance", withBody([c](const Object& input) {
               const auto seconds = optInteger(input, "seconds");
               if (!seconds || *seconds < 0) return bad("seconds (>= 0) is required");
               std::lock_guard lock(c->state.mutex);
               c->state.clock_offset += std::chrono::seconds(*seconds);
               return clockAnswer(*c, runDueSchedules(*c));
             }));
  router.add("POST", "/_sandbox/webhooks/mode",
             withBody([c](const Object& input) { return webhookMode(*c, input); }));
  router.add("POST", "/_sandbox/webhooks/release", withBody([c](const Object& input) {
               const std::string order = optText(input, "order").value_or("fifo");
               if (order != "fifo" && order != "reverse") return bad("order is fifo or reverse");
               Object answer;
               answer.set("released", c->sender.release(order == "reverse"));
               return ok(answer);
             }));
  router.add("GET", "/_sandbox/webhooks", [c](const HttpRequest&) { return listWebhooks(*c); });
  router.add("POST", "/_sandbox/reset", [c](const HttpRequest&) {
    c->sender.reset();
    std::lock_guard lock(c->state.mutex);
    c->state.payments.clear();
    c->state.schedules.clear();
    c->state.billing_keys.clear();
    c->state.faults.clear();
    c->state.requests.clear();
    c->state.idempotency.clear();
    c->state.v1 = {};
    c->state.clock_offset = std::chrono::seconds(0);
    c->state.resend_limit = -1;
    return http::jsonResponse(200, "{}");
  });
}

}  // namespace paymentd::sandbox
