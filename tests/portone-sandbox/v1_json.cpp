#include "v1_json.h"

#include <Poco/JSON/Array.h>

#include "portone_json.h"

namespace paymentd::sandbox {

http::HttpResponse v1Ok(const Poco::Dynamic::Var& response) {
  Poco::JSON::Object envelope;
  envelope.set("code", 0);
  envelope.set("message", Poco::Dynamic::Var());
  envelope.set("response", response);
  return http::jsonResponse(200, toJson(envelope));
}

http::HttpResponse v1Error(int status, int code, const std::string& message) {
  Poco::JSON::Object envelope;
  envelope.set("code", code);
  envelope.set("message", message);
  envelope.set("response", Poco::Dynamic::Var());
  return http::jsonResponse(status, toJson(envelope));
}

Poco::JSON::Object v1PaymentJson(const V1Payment& payment) {
  Poco::JSON::Object json;
  json.set("imp_uid", payment.imp_uid);
  json.set("merchant_uid", payment.merchant_uid);
  json.set("status", payment.status);
  json.set("pay_method", payment.pay_method);
  json.set("channel", "api");
  json.set("pg_provider", "sandbox");
  if (payment.odd_amount) {
    json.set("amount", *payment.odd_amount);
  } else {
    json.set("amount", payment.amount);
  }
  json.set("cancel_amount", payment.cancel_amount);
  json.set("currency", payment.currency);
  json.set("name", payment.name);
  json.set("card_type", 0);
  json.set("customer_uid",
           payment.customer_uid ? Poco::Dynamic::Var(*payment.customer_uid) : Poco::Dynamic::Var());
  json.set("customer_uid_usage", payment.customer_uid_usage.empty()
                                     ? Poco::Dynamic::Var()
                                     : Poco::Dynamic::Var(payment.customer_uid_usage));
  json.set("buyer_tel",
           payment.buyer_tel ? Poco::Dynamic::Var(*payment.buyer_tel) : Poco::Dynamic::Var());
  json.set("fail_reason", payment.fail_reason.empty() ? Poco::Dynamic::Var()
                                                      : Poco::Dynamic::Var(payment.fail_reason));
  json.set("paid_at", payment.paid_at);
  json.set("failed_at", payment.failed_at);
  json.set("cancelled_at", payment.cancelled_at);
  Poco::JSON::Array history;
  for (const V1Cancellation& cancellation : payment.cancel_history) {
    Poco::JSON::Object item;
    item.set("amount", cancellation.amount);
    item.set("reason", cancellation.reason);
    item.set("cancelled_at", std::chrono::duration_cast<std::chrono::seconds>(
                                 cancellation.cancelled_at.time_since_epoch())
                                 .count());
    history.add(item);
  }
  json.set("cancel_history", history);
  return json;
}

Poco::JSON::Object v1ScheduleJson(const V1Schedule& schedule) {
  Poco::JSON::Object json;
  json.set("customer_uid", schedule.customer_uid);
  json.set("merchant_uid", schedule.merchant_uid);
  // null until PortOne runs it
  json.set("imp_uid",
           schedule.imp_uid.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(schedule.imp_uid));
  json.set("schedule_at", schedule.schedule_at);
  json.set("amount", schedule.amount);
  json.set("schedule_status", schedule.schedule_status);
  json.set("revoked_at", schedule.revoked_at);
  return json;
}

}  // namespace paymentd::sandbox
