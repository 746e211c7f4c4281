#include "portone/v2_gateway.h"

#include "portone/api_error.h"

namespace paymentd::portone {

core::PaymentLookup V2Gateway::lookUp(const std::string& payment_id) const {
  core::PaymentLookup lookup;
  try {
    lookup.payment = client_.getPayment(payment_id);
    lookup.status = core::LookupStatus::kFound;
  } catch (const TransientError& e) {
    lookup.status = core::LookupStatus::kUnavailable;
    lookup.detail = e.what();
  } catch (const ApiError& e) {
    lookup.status = e.type() == "PAYMENT_NOT_FOUND" ? core::LookupStatus::kNotFound
                                                    : core::LookupStatus::kRefused;
    lookup.error_type = e.type();
    lookup.detail = e.type() + ": " + e.apiMessage();
  }
  return lookup;
}

core::RefundAnswer V2Gateway::refund(const core::RefundRequest& request) const {
  core::RefundAnswer answer;
  try {
    CancelRequest cancel;
    cancel.payment_id = request.payment_id;
    cancel.reason = request.reason;
    cancel.current_cancellable_amount = request.current_cancellable_amount;
    cancel.idempotency_key = request.idempotency_key;
    client_.cancelPayment(cancel);
    answer.refunded = true;
  } catch (const ApiError& e) {
    // Cancelled already (by us before, or by an operator): the money is back.
    answer.refunded = e.type() == "PAYMENT_ALREADY_CANCELLED";
    answer.error_type = e.type();
    answer.detail = e.type() + ": " + e.apiMessage();
  } catch (const TransientError& e) {
    answer.transient = true;
    answer.detail = e.what();
  }
  return answer;
}

}  // namespace paymentd::portone
