#include "v1_routes.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include "portone_json.h"
#include "request_gate.h"
#include "v1_json.h"

namespace paymentd::sandbox {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Object;

constexpr const char* kTokenPath = "/v1/users/getToken";

std::int64_t unixSeconds(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// "Bearer <token>" as PortOne documents it, or the bare token some of its samples send.
bool validToken(const HttpRequest& request, const SandboxState& state) {
  if (request.path == kTokenPath) return true;  // the call that gets one
  std::string token = request.singleHeader("authorization").value_or("");
  if (token.rfind("Bearer ", 0) == 0) token = token.substr(7);
  auto it = state.v1.tokens.find(token);
  return it != state.v1.tokens.end() && state.now() < it->second;
}

GateAuth v1Auth() {
  return {validToken, [] { return v1Error(401, -1, "Unauthorized"); }};
}

HttpResponse getToken(SandboxContext& context, const Object& input) {
  if (optText(input, "imp_key") != context.options.v1_imp_key ||
      optText(input, "imp_secret") != context.options.v1_imp_secret) {
    return v1Error(401, -1, "imp_key, imp_secret 파라메터가 누락되었거나 일치하지 않습니다.");
  }
  std::lock_guard lock(context.state.mutex);
  V1State& v1 = context.state.v1;
  const TimePoint now = context.state.now();
  // PortOne hands out the same token again while it lives.
  auto live = v1.tokens.begin();
  while (live != v1.tokens.end() && live->second <= now) ++live;
  if (live == v1.tokens.end()) {
    const std::string token = "sandbox-v1-token-" + std::to_string(++v1.tokens_issued);
    live = v1.tokens.emplace(token, now + context.options.v1_token_lifetime).first;
  }
  Object answer;
  answer.set("access_token", live->first);
  answer.set("expired_at", unixSeconds(live->second));
  answer.set("now", unixSeconds(now));
  return v1Ok(answer);
}

HttpResponse getPayment(SandboxContext& context, const HttpRequest& request) {
  const std::string imp_uid = request.path.substr(std::string("/v1/payments/").size());
  std::lock_guard lock(context.state.mutex);
  auto it = context.state.v1.payments.find(imp_uid);
  if (it == context.state.v1.payments.end()) {
    return v1Error(404, 1, "존재하지 않는 결제정보입니다.");
  }
  return v1Ok(v1PaymentJson(it->second));
}

// GET /v1/payments/find/{merchant_uid}: the latest payment with it (the highest imp_uid here).
HttpResponse findByMerchantUid(SandboxContext& context, const HttpRequest& request) {
  const std::string merchant_uid = request.path.substr(std::string("/v1/payments/find/").size());
  std::lock_guard lock(context.state.mutex);
  const V1Payment* found = nullptr;
  for (const auto& [imp_uid, payment] : context.state.v1.payments) {
    if (payment.merchant_uid == merchant_uid) found = &payment;
  }
  if (!found) return v1Error(404, 1, "존재하지 않는 결제정보입니다.");
  return v1Ok(v1PaymentJson(*found));
}

V1Payment* findPayment(V1State& v1, const Object& input) {
  if (auto imp_uid = optText(input, "imp_uid")) {  // imp_uid wins, as at PortOne
    auto it = v1.payments.find(*imp_uid);
    return it == v1.payments.end() ? nullptr : &it->second;
  }
  const auto merchant_uid = optText(input, "merchant_uid");
  for (auto& [id, payment] : v1.payments) {
    if (merchant_uid && payment.merchant_uid == *merchant_uid) return &payment;
  }
  return nullptr;
}

HttpResponse cancelPayment(SandboxContext& context, const Object& input) {
  std::lock_guard lock(context.state.mutex);
  V1Payment* payment = findPayment(context.state.v1, input);
  if (!payment) return v1Error(200, 1, "취소할 결제건이 존재하지 않습니다.");
  if (payment->status == "cancelled") return v1Error(200, 1, "이미 전액취소된 주문입니다.");
  if (payment->status != "paid") return v1Error(200, 1, "결제완료 상태가 아닙니다.");
  const std::int64_t cancellable = payment->amount - payment->cancel_amount;
  if (auto checksum = optInteger(input, "checksum"); checksum && *checksum != cancellable) {
    return v1Error(
        200, 1,
        "checksum 이 일치하지 않습니다. (취소 가능 잔액 " + std::to_string(cancellable) + ")");
  }
  std::int64_t amount = optInteger(input, "amount").value_or(0);
  if (amount == 0) amount = cancellable;  // omitted or 0: everything left
  if (amount < 0 || amount > cancellable) {
    return v1Error(200, 1, "취소 요청금액이 취소가능금액을 초과합니다.");
  }
  const TimePoint now = context.state.now();
  payment->cancel_history.push_back({amount, optText(input, "reason").value_or(""), now});
  payment->cancel_amount += amount;
  if (payment->cancel_amount == payment->amount) {
    payment->status = "cancelled";
    payment->cancelled_at = unixSeconds(now);
  }
  return v1Ok(v1PaymentJson(*payment));
}

HttpResponse schedule(SandboxContext& context, const Object& input) {
  const auto customer_uid = optText(input, "customer_uid");
  auto list = input.has("schedules") ? input.getArray("schedules") : nullptr;
  if (!customer_uid || !list || list->size() == 0) {
    return v1Error(400, -1, "customer_uid and schedules are required");
  }
  std::vector<V1Schedule> added;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Object::Ptr item = list->getObject(static_cast<unsigned>(i));
    const auto merchant_uid = item ? optText(*item, "merchant_uid") : std::nullopt;
    const auto schedule_at = item ? optInteger(*item, "schedule_at") : std::nullopt;
    const auto amount = item ? optInteger(*item, "amount") : std::nullopt;
    if (!merchant_uid || !schedule_at || !amount) {
      return v1Error(400, -1, "each schedule needs merchant_uid, schedule_at and amount");
    }
    added.push_back(
        {*customer_uid, *merchant_uid, *schedule_at, *amount, "scheduled", toJson(*item), 0, ""});
  }
  std::lock_guard lock(context.state.mutex);
  auto& schedules = context.state.v1.schedules;
  for (const V1Schedule& entry : added) {
    auto it = schedules.find(entry.merchant_uid);
    if (it != schedules.end() && it->second.schedule_status == "scheduled") {
      return v1Error(200, 1, "이미 예약된 merchant_uid 입니다: " + entry.merchant_uid);
    }
  }
  Poco::JSON::Array answer;
  for (V1Schedule& entry : added) {
    answer.add(v1ScheduleJson(entry));
    schedules[entry.merchant_uid] = std::move(entry);
  }
  return v1Ok(answer);
}

HttpResponse unschedule(SandboxContext& context, const Object& input) {
  const auto customer_uid = optText(input, "customer_uid");
  if (!customer_uid) return v1Error(400, -1, "customer_uid is required");
  std::vector<std::string> wanted;
  if (auto list = input.has("merchant_uid") ? input.getArray("merchant_uid") : nullptr) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      wanted.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  std::lock_guard lock(context.state.mutex);
  Poco::JSON::Array answer;
  const std::int64_t now = unixSeconds(context.state.now());
  for (auto& [merchant_uid, entry] : context.state.v1.schedules) {
    if (entry.customer_uid != *customer_uid || entry.schedule_status != "scheduled") continue;
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), merchant_uid) == wanted.end()) {
      continue;
    }
    entry.schedule_status = "revoked";
    entry.revoked_at = now;
    answer.add(v1ScheduleJson(entry));
  }
  if (answer.size() == 0) return v1Error(200, 1, "취소할 예약결제 기록이 존재하지 않습니다.");
  return v1Ok(answer);
}

http::Handler withBody(SandboxContext& context,
                       HttpResponse (*handler)(SandboxContext&, const Object&)) {
  return gated(
      context,
      [&context, handler](const HttpRequest& request) {
        Object::Ptr input = bodyObject(request.body);
        if (!input) return v1Error(400, -1, "body is not a JSON object");
        return handler(context, *input);
      },
      v1Auth());
}

}  // namespace

void addV1Routes(http::Router& router, SandboxContext& context) {
  router.add("POST", kTokenPath, withBody(context, getToken));
  // Before /v1/payments/*, which would take it for an imp_uid.
  router.add(
      "GET", "/v1/payments/find/*",
      gated(
          context,
          [&context](const HttpRequest& request) { return findByMerchantUid(context, request); },
          v1Auth()));
  router.add(
      "GET", "/v1/payments/*",
      gated(
          context, [&context](const HttpRequest& request) { return getPayment(context, request); },
          v1Auth()));
  router.add("POST", "/v1/payments/cancel", withBody(context, cancelPayment));
  router.add("POST", "/v1/subscribe/payments/schedule", withBody(context, schedule));
  router.add("POST", "/v1/subscribe/payments/unschedule", withBody(context, unschedule));
}

}  // namespace paymentd::sandbox
