#include "portone/v1_gateway.h"

#include "portone/api_error.h"
#include "portone/v1_json.h"

namespace paymentd::portone {

core::PaymentLookup V1Gateway::lookUp(const std::string& id) const {
  core::PaymentLookup lookup;
  try {
    try {
      lookup.payment = client_.getPayment(id);
    } catch (const ApiError& e) {
      if (e.type() != kV1PaymentNotFound) throw;
      lookup.payment = client_.findPayment(id);  // a merchant_uid (the reconciler's)
    }
    lookup.status = core::LookupStatus::kFound;
  } catch (const TransientError& e) {
    lookup.status = core::LookupStatus::kUnavailable;
    lookup.detail = e.what();
  } catch (const ApiError& e) {
    lookup.status = e.type() == kV1PaymentNotFound ? core::LookupStatus::kNotFound
                                                   : core::LookupStatus::kRefused;
    lookup.error_type = e.type();
    lookup.detail = e.type() + ": " + e.apiMessage();
  }
  return lookup;
}

bool V1Gateway::alreadyCancelled(const std::string& merchant_uid) const {
  try {
    return client_.findPayment(merchant_uid).status == PaymentStatus::kCancelled;
  } catch (const ApiFailure&) {
    return false;  // not known to be back: the refund stays owed
  }
}

core::RefundAnswer V1Gateway::refund(const core::RefundRequest& request) const {
  core::RefundAnswer answer;
  try {
    V1CancelRequest cancel;
    cancel.merchant_uid = request.payment_id;
    cancel.reason = request.reason;
    cancel.amount = request.amount;
    cancel.checksum = request.current_cancellable_amount;
    client_.cancelPayment(cancel);
    answer.refunded = true;
  } catch (const ApiError& e) {
    answer.error_type = e.type();
    answer.detail = e.type() + ": " + e.apiMessage();
    // V1 names no error types: whether an earlier cancel (ours, or an operator's) already
    // gave the money back is told by the payment, as V2's PAYMENT_ALREADY_CANCELLED does.
    answer.refunded = alreadyCancelled(request.payment_id);
  } catch (const TransientError& e) {
    answer.transient = true;
    answer.detail = e.what();
  }
  return answer;
}

core::BillingKeyLookup V1Gateway::lookUpBillingKey(const std::string& /*billing_key*/) const {
  core::BillingKeyLookup lookup;
  lookup.status = core::LookupStatus::kRefused;
  lookup.error_type = kV1BillingKeyLookUpMissing;
  lookup.detail = "paymentd does not look up V1 billing keys (customer_uid) yet";
  return lookup;
}

core::PaymentPage V1Gateway::listPaidPayments(const core::PaidPaymentsQuery& /*query*/) const {
  core::PaymentPage page;
  page.status = core::LookupStatus::kRefused;
  page.error_type = kV1Unsupported;
  page.detail = "paymentd does not list payments through V1";
  return page;
}

core::ResendAnswer V1Gateway::resendWebhook(const std::string& /*payment_id*/) const {
  core::ResendAnswer answer;
  answer.status = core::ResendStatus::kRefused;
  answer.error_type = kV1Unsupported;
  answer.detail = "paymentd does not ask V1 to resend notices";
  return answer;
}

}  // namespace paymentd::portone
