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

 private:
  const PortOneClient& client_;
};

}  // namespace paymentd::portone
