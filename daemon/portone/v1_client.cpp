#include "portone/v1_client.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "portone/api_error.h"
#include "portone/api_timeouts.h"
#include "portone/request_text.h"
#include "portone/secret_file.h"
#include "portone/v1_json.h"

namespace paymentd::portone {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

ApiTransportOptions withV1Errors(ApiTransportOptions transport) {
  transport.error_body_reader = v1ErrorFromBody;
  return transport;
}

std::int64_t unixSeconds(Timestamp time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// The merchant_uids of a V1 schedule list ([{customer_uid, merchant_uid, ...}]).
std::vector<std::string> merchantUids(const Poco::Dynamic::Var& response) {
  Array::Ptr list;
  try {
    list = response.extract<Array::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!list) {
    throw TransientError(TransientError::Kind::kBadResponse, 200,
                         "PortOne V1's answer has no schedule list");
  }
  std::vector<std::string> uids;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Object::Ptr item = list->getObject(static_cast<unsigned>(i));
    if (!item || !item->has("merchant_uid") || !item->get("merchant_uid").isString()) {
      throw TransientError(TransientError::Kind::kBadResponse, 200,
                           "PortOne V1's schedule has no merchant_uid");
    }
    uids.push_back(item->getValue<std::string>("merchant_uid"));
  }
  return uids;
}

}  // namespace

V1Client::V1Client(V1ClientOptions options, const Clock& clock)
    : options_(std::move(options)),
      transport_(withV1Errors(options_.transport), clock),
      tokens_(transport_, options_.imp_key, options_.imp_secret, clock,
              options_.token_refresh_margin) {}

V1ClientOptions V1Client::optionsFromConfig(const config::PortOneV1Config& v1,
                                            const config::PortOneConfig& portone) {
  V1ClientOptions options;
  options.transport.api_base = v1.api_base;
  useTimeouts(options.transport, portone);
  options.imp_key = readSecretFile(v1.imp_key_file);
  options.imp_secret = readSecretFile(v1.imp_secret_file);
  return options;
}

void V1Client::setTimeouts(const config::PortOneConfig& portone) {
  transport_.setTimeouts(timeoutsOf(portone));
}

Poco::Dynamic::Var V1Client::authorized(ApiRequest request) const {
  const std::string token = tokens_.token();
  request.authorization = "Bearer " + token;
  try {
    return v1Response(transport_.call(request));
  } catch (const ApiError& e) {
    if (e.httpStatus() != 401) throw;
  }
  // PortOne expired the token before we expected (its clock, a revocation): once more.
  tokens_.discard(token);
  request.authorization = "Bearer " + tokens_.token();
  return v1Response(transport_.call(request));
}

core::FetchedPayment V1Client::readPayment(const std::string& path) const {
  try {
    return v1PaymentFromJson(*v1Object(authorized({"GET", path, "", "", {}})));
  } catch (const ApiError& e) {
    if (e.httpStatus() != 404) throw;
    throw ApiError(404, kV1PaymentNotFound, e.apiMessage());
  }
}

const std::vector<std::string>& V1Client::endpointNames() {
  static const std::vector<std::string> kNames = {
      "v1_get_payment", "v1_find_payment", "v1_cancel_payment", "v1_schedule", "v1_unschedule"};
  return kNames;
}

core::FetchedPayment V1Client::getPayment(const std::string& imp_uid) const {
  return observedCall(options_.on_call, "v1_get_payment",
                      [&] { return readPayment("/payments/" + encodePathSegment(imp_uid)); });
}

core::FetchedPayment V1Client::findPayment(const std::string& merchant_uid) const {
  return observedCall(options_.on_call, "v1_find_payment", [&] {
    return readPayment("/payments/find/" + encodePathSegment(merchant_uid));
  });
}

core::FetchedPayment V1Client::cancelPayment(const V1CancelRequest& request) const {
  Object input;
  input.set("merchant_uid", request.merchant_uid);
  input.set("reason", request.reason);
  if (request.amount) input.set("amount", *request.amount);
  input.set("checksum", request.checksum);
  return observedCall(options_.on_call, "v1_cancel_payment", [&] {
    return v1PaymentFromJson(
        *v1Object(authorized({"POST", "/payments/cancel", jsonText(input), "", {}})));
  });
}

std::vector<std::string> V1Client::schedule(const V1ScheduleRequest& request) const {
  Array schedules;
  for (const V1Schedule& item : request.schedules) {
    Object schedule;
    schedule.set("merchant_uid", item.merchant_uid);
    schedule.set("schedule_at", unixSeconds(item.schedule_at));
    schedule.set("amount", item.amount);
    schedule.set("currency", item.currency);
    schedule.set("name", item.name);
    if (item.custom_data) schedule.set("custom_data", *item.custom_data);
    if (item.notice_url) schedule.set("notice_url", *item.notice_url);
    schedules.add(schedule);
  }
  Object input;
  input.set("customer_uid", request.customer_uid);
  input.set("schedules", schedules);
  return observedCall(options_.on_call, "v1_schedule", [&] {
    return merchantUids(
        authorized({"POST", "/subscribe/payments/schedule", jsonText(input), "", {}}));
  });
}

std::vector<std::string> V1Client::unschedule(const V1UnscheduleRequest& request) const {
  Object input;
  input.set("customer_uid", request.customer_uid);
  if (!request.merchant_uids.empty()) {
    Array uids;
    for (const auto& uid : request.merchant_uids) uids.add(uid);
    input.set("merchant_uid", uids);
  }
  return observedCall(options_.on_call, "v1_unschedule", [&] {
    return merchantUids(
        authorized({"POST", "/subscribe/payments/unschedule", jsonText(input), "", {}}));
  });
}

}  // namespace paymentd::portone
