#include "portone/api_client.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "portone/api_error.h"
#include "portone/api_timeouts.h"
#include "portone/payment_json.h"
#include "portone/request_text.h"
#include "portone/rfc3339.h"
#include "portone/secret_file.h"

namespace paymentd::portone {
namespace {

using Poco::JSON::Object;

Object::Ptr parseObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(body).extract<Object::Ptr>();
    if (object) return object;
  } catch (const Poco::Exception&) {
  }
  throw TransientError(TransientError::Kind::kBadResponse, 200,
                       "PortOne's answer is not a JSON object");
}

Object::Ptr requireObject(const Object& parent, const std::string& key) {
  Object::Ptr object = parent.has(key) ? parent.getObject(key) : nullptr;
  if (!object) {
    throw TransientError(TransientError::Kind::kBadResponse, 200,
                         "PortOne's answer has no '" + key + "' object");
  }
  return object;
}

Object chargeJson(const BillingKeyCharge& charge, const std::string& store_id) {
  Object payment;
  payment.set("storeId", store_id);
  payment.set("billingKey", charge.billing_key);
  payment.set("orderName", charge.order_name);
  if (charge.customer_id) {
    Object customer;
    customer.set("id", *charge.customer_id);
    payment.set("customer", customer);
  }
  Object amount;
  amount.set("total", charge.amount);
  payment.set("amount", amount);
  payment.set("currency", charge.currency);
  if (charge.custom_data) payment.set("customData", *charge.custom_data);
  if (!charge.notice_urls.empty()) {
    Poco::JSON::Array urls;
    for (const auto& url : charge.notice_urls) urls.add(url);
    payment.set("noticeUrls", urls);
  }
  return payment;
}

// A query parameter's value, as PortOne's SDKs encode a GET's or DELETE's body.
std::string encodedQueryValue(const std::string& text) {
  std::string encoded;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]% \"{}", encoded);
  return encoded;
}

CancellationStatus cancellationStatusFromName(const std::string& name) {
  if (name == "REQUESTED") return CancellationStatus::kRequested;
  if (name == "SUCCEEDED") return CancellationStatus::kSucceeded;
  if (name == "FAILED") return CancellationStatus::kFailed;
  return CancellationStatus::kUnrecognized;
}

}  // namespace

PortOneClient::PortOneClient(PortOneClientOptions options, const Clock& clock)
    : options_(std::move(options)), transport_(options_.transport, clock) {}

const std::vector<std::string>& PortOneClient::endpointNames() {
  static const std::vector<std::string> kNames = {
      "get_payment",     "cancel_payment",          "pay_with_billing_key",
      "get_billing_key", "create_payment_schedule", "revoke_payment_schedules",
      "get_payments",    "resend_webhook"};
  return kNames;
}

// Every call is reported here, whichever room made it (the pipeline, the outbox, the
// lifecycle), so the metrics count each call to PortOne once.
template <typename Call>
auto PortOneClient::observed(const std::string& endpoint, Call&& call) const {
  return observedCall(options_.on_call, endpoint, std::forward<Call>(call));
}

void PortOneClient::setTimeouts(const config::PortOneConfig& config) {
  transport_.setTimeouts(timeoutsOf(config));
}

PortOneClientOptions PortOneClient::optionsFromConfig(const config::PortOneConfig& config) {
  PortOneClientOptions options;
  options.store_id = config.store_id;
  options.transport.api_base = config.api_base;
  options.transport.api_secret = readSecretFile(config.api_secret_file);
  useTimeouts(options.transport, config);
  return options;
}

FetchedPayment PortOneClient::getPayment(const std::string& payment_id) const {
  return observed("get_payment", [&] {
    const std::string body =
        transport_.call({"GET",
                         "/payments/" + encodePathSegment(payment_id) +
                             "?storeId=" + encodePathSegment(options_.store_id),
                         "", ""});
    return paymentFromJson(*parseObject(body));
  });
}

BillingKeyInfo PortOneClient::getBillingKey(const std::string& billing_key) const {
  return observed("get_billing_key", [&] {
    const std::string body =
        transport_.call({"GET",
                         "/billing-keys/" + encodePathSegment(billing_key) +
                             "?storeId=" + encodePathSegment(options_.store_id),
                         "", ""});
    return billingKeyFromJson(*parseObject(body));
  });
}

Cancellation PortOneClient::cancelPayment(const CancelRequest& request) const {
  return observed("cancel_payment", [&] {
    Object input;
    input.set("storeId", options_.store_id);
    input.set("reason", request.reason);
    if (request.amount) input.set("amount", *request.amount);
    if (request.current_cancellable_amount) {
      input.set("currentCancellableAmount", *request.current_cancellable_amount);
    }
    const std::string body =
        transport_.call({"POST", "/payments/" + encodePathSegment(request.payment_id) + "/cancel",
                         jsonText(input), request.idempotency_key});
    Object::Ptr cancellation = requireObject(*parseObject(body), "cancellation");
    Cancellation result;
    result.status = cancellationStatusFromName(cancellation->optValue<std::string>("status", ""));
    result.id = cancellation->optValue<std::string>("id", "");
    result.total_amount = amountInWon(*cancellation, "totalAmount");
    result.reason = cancellation->optValue<std::string>("reason", "");
    if (cancellation->has("cancelledAt")) {
      result.cancelled_at = parseRfc3339(cancellation->optValue<std::string>("cancelledAt", ""));
    }
    return result;
  });
}

BillingKeyPaymentSummary PortOneClient::payWithBillingKey(
    const BillingKeyPaymentRequest& request) const {
  return observed("pay_with_billing_key", [&] {
    const Object input = chargeJson(request.charge, options_.store_id);
    const std::string body = transport_.call(
        {"POST", "/payments/" + encodePathSegment(request.payment_id) + "/billing-key",
         jsonText(input), request.idempotency_key});
    Object::Ptr payment = requireObject(*parseObject(body), "payment");
    BillingKeyPaymentSummary summary;
    summary.pg_tx_id = payment->optValue<std::string>("pgTxId", "");
    if (payment->has("paidAt"))
      summary.paid_at = parseRfc3339(payment->optValue<std::string>("paidAt", ""));
    return summary;
  });
}

std::string PortOneClient::createPaymentSchedule(const PaymentScheduleRequest& request) const {
  return observed("create_payment_schedule", [&] {
    Object input;
    input.set("payment", chargeJson(request.charge, options_.store_id));
    input.set("timeToPay", formatRfc3339(request.time_to_pay));
    const std::string body =
        transport_.call({"POST", "/payments/" + encodePathSegment(request.payment_id) + "/schedule",
                         jsonText(input), request.idempotency_key});
    Object::Ptr schedule = requireObject(*parseObject(body), "schedule");
    const std::string id = schedule->optValue<std::string>("id", "");
    if (id.empty()) {
      throw TransientError(TransientError::Kind::kBadResponse, 200, "PortOne's schedule has no id");
    }
    return id;
  });
}

PaymentList PortOneClient::listPayments(const PaymentListRequest& request) const {
  return observed("get_payments", [&] {
    const std::string body = transport_.call(
        {"GET",
         "/payments?requestBody=" +
             encodedQueryValue(jsonText(paymentListBody(request, options_.store_id))),
         "", ""});
    return paymentListFromJson(*parseObject(body));
  });
}

void PortOneClient::resendWebhook(const std::string& payment_id) const {
  observed("resend_webhook", [&] {
    Object input;
    input.set("storeId", options_.store_id);
    const std::string body =
        transport_.call({"POST", "/payments/" + encodePathSegment(payment_id) + "/resend-webhook",
                         jsonText(input), ""});
    requireObject(*parseObject(body), "webhook");
    return true;
  });
}

std::vector<std::string> PortOneClient::revokePaymentSchedules(
    const RevokeSchedulesRequest& request) const {
  return observed("revoke_payment_schedules", [&] {
    Object input;
    input.set("storeId", options_.store_id);
    if (request.billing_key) input.set("billingKey", *request.billing_key);
    if (!request.schedule_ids.empty()) {
      Poco::JSON::Array ids;
      for (const auto& id : request.schedule_ids) ids.add(id);
      input.set("scheduleIds", ids);
    }
    // PortOne's DELETE takes its body as the URL-encoded query parameter requestBody.
    const std::string body = transport_.call(
        {"DELETE", "/payment-schedules?requestBody=" + encodedQueryValue(jsonText(input)), "",
         request.idempotency_key});
    Object::Ptr root = parseObject(body);
    std::vector<std::string> revoked;
    if (auto ids = root->getArray("revokedScheduleIds")) {
      for (std::size_t i = 0; i < ids->size(); ++i)
        revoked.push_back(ids->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return revoked;
  });
}

}  // namespace paymentd::portone
