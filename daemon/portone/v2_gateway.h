// portone/v2_gateway.h: the payment core's gateway port on PortOne's V2 API.
//
// Converts the client's exceptions into the port's values, once, here.
#pragma once

#include "core/payment_gateway.h"
#include "portone/api_client.h"

namespace paymentd::portone {

class V2Gateway final : public core::PaymentGateway {
 public:
  explicit V2Gateway(const PortOneClient& client) : client_(client) {}

  core::PaymentLookup lookUp(const std::string& payment_id) const override;
  core::RefundAnswer refund(const core::RefundRequest& request) const override;
  core::BillingKeyLookup lookUpBillingKey(const std::string& billing_key) const override;
  core::PaymentPage listPaidPayments(const core::PaidPaymentsQuery& query) const override;
  /// MAX_WEBHOOK_RETRY_COUNT_REACHED is kLimitReached; other refusals kRefused.
  core::ResendAnswer resendWebhook(const std::string& payment_id) const override;

 private:
  const PortOneClient& client_;
};

/// PortOne's refusal of a resend once a payment's webhook was resent as often as it allows.
inline constexpr const char* kResendLimitReached = "MAX_WEBHOOK_RETRY_COUNT_REACHED";

}  // namespace paymentd::portone
