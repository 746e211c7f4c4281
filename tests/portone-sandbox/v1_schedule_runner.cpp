#include "v1_schedule_runner.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "portone_json.h"

namespace paymentd::sandbox {
namespace {

// The notice_url the client sent with the schedule, if any.
std::string noticeUrlOf(const V1Schedule& schedule) {
  try {
    Poco::JSON::Parser parser;
    const auto item = parser.parse(schedule.request).extract<Poco::JSON::Object::Ptr>();
    return optText(*item, "notice_url").value_or("");
  } catch (const Poco::Exception&) {
    return "";
  }
}

// Whether the card behind `customer_uid` pays; `reason` says why not.
bool charge(SandboxContext& context, const std::string& customer_uid, std::string& reason) {
  auto key = context.state.billing_keys.find(customer_uid);
  if (key == context.state.billing_keys.end()) return true;
  if (key->second.deleted) {
    reason = "customer_uid was deleted";
    return false;
  }
  if (key->second.script.charge()) return true;
  reason = "[" + key->second.decline_pg_code + "] " + key->second.decline_message;
  return false;
}

}  // namespace

std::vector<std::string> runDueV1Schedules(SandboxContext& context) {
  std::vector<std::string> ran;
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(context.state.now().time_since_epoch())
          .count();
  for (auto& [merchant_uid, schedule] : context.state.v1.schedules) {
    if (schedule.schedule_status != "scheduled" || schedule.schedule_at > now) continue;
    V1Payment payment;
    payment.imp_uid = context.state.newId("imp");
    payment.merchant_uid = merchant_uid;
    payment.amount = schedule.amount;
    payment.customer_uid = schedule.customer_uid;
    payment.customer_uid_usage = "payment.scheduled";
    std::string reason;
    const bool paid = charge(context, schedule.customer_uid, reason);
    payment.status = paid ? "paid" : "failed";
    (paid ? payment.paid_at : payment.failed_at) = now;
    payment.fail_reason = reason;
    schedule.schedule_status = paid ? "executed" : "failed";
    schedule.imp_uid = payment.imp_uid;
    const std::string notice_url = noticeUrlOf(schedule);
    Poco::JSON::Object body;
    body.set("imp_uid", payment.imp_uid);
    body.set("merchant_uid", merchant_uid);
    body.set("status", payment.status);
    const std::string imp_uid = payment.imp_uid;
    context.state.v1.payments[imp_uid] = std::move(payment);
    if (!notice_url.empty()) {
      context.sender.send(context.state.newId("sandbox-v1-webhook"), merchant_uid, "V1.Webhook",
                          toJson(body), {notice_url}, false);
    }
    ran.push_back(merchant_uid);
  }
  return ran;
}

}  // namespace paymentd::sandbox
