#include "portone/v2_gateway.h"

#include "portone/api_error.h"
#include "portone/payment_json.h"

namespace paymentd::portone {
namespace {

std::string statusName(BillingKeyStatus status) {
  switch (status) {
    case BillingKeyStatus::kIssued:
      return "ISSUED";
    case BillingKeyStatus::kDeleted:
      return "DELETED";
    case BillingKeyStatus::kUnrecognized:
      break;
  }
  return "in a status paymentd does not know";
}

}  // namespace

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
    cancel.amount = request.amount;
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

core::BillingKeyLookup V2Gateway::lookUpBillingKey(const std::string& billing_key) const {
  core::BillingKeyLookup lookup;
  try {
    const BillingKeyInfo info = client_.getBillingKey(billing_key);
    lookup.status = core::LookupStatus::kFound;
    lookup.issued = info.status == BillingKeyStatus::kIssued;
    lookup.customer_id = info.customer_id;
    if (info.masked_card_number) lookup.card_last_digits = cardLastDigits(*info.masked_card_number);
    // Only the last digits: even a masked number shows the card's BIN.
    lookup.detail = "billing key " + statusName(info.status) +
                    (lookup.card_last_digits ? ", card ending " + *lookup.card_last_digits : "");
  } catch (const TransientError& e) {
    lookup.status = core::LookupStatus::kUnavailable;
    lookup.detail = e.what();
  } catch (const ApiError& e) {
    lookup.status = e.type() == "BILLING_KEY_NOT_FOUND" ? core::LookupStatus::kNotFound
                                                        : core::LookupStatus::kRefused;
    lookup.error_type = e.type();
    lookup.detail = e.type() + ": " + e.apiMessage();
  }
  return lookup;
}

core::PaymentPage V2Gateway::listPaidPayments(const core::PaidPaymentsQuery& query) const {
  core::PaymentPage page;
  try {
    PaymentListRequest request;
    request.from = query.from;
    request.until = query.until;
    request.page_number = query.page_number;
    request.page_size = query.page_size;
    const PaymentList list = client_.listPayments(request);
    page.status = core::LookupStatus::kFound;
    page.total_count = list.total_count;
    for (const PaymentListItem& item : list.items) {
      page.items.push_back({item.id, item.status, item.paid_at});
    }
  } catch (const TransientError& e) {
    page.status = core::LookupStatus::kUnavailable;
    page.detail = e.what();
  } catch (const ApiError& e) {
    page.status = core::LookupStatus::kRefused;
    page.error_type = e.type();
    page.detail = e.type() + ": " + e.apiMessage();
  }
  return page;
}

core::ResendAnswer V2Gateway::resendWebhook(const std::string& payment_id) const {
  core::ResendAnswer answer;
  try {
    client_.resendWebhook(payment_id);
    answer.status = core::ResendStatus::kResent;
  } catch (const TransientError& e) {
    answer.status = core::ResendStatus::kUnavailable;
    answer.detail = e.what();
  } catch (const ApiError& e) {
    answer.status = e.type() == kResendLimitReached ? core::ResendStatus::kLimitReached
                                                    : core::ResendStatus::kRefused;
    answer.error_type = e.type();
    answer.detail = e.type() + ": " + e.apiMessage();
  }
  return answer;
}

}  // namespace paymentd::portone
