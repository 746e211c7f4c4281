// portone/v1_gateway.h: the payment core's gateway port on PortOne's V1 (Iamport) API.
//
// A payment is looked up by its `imp_uid` (the only id V1's GET /payments takes, and the
// one a V1 webhook names), else by its `merchant_uid` (all the reconciler knows of a
// renewal whose webhook never came), and refunded by its id, the `merchant_uid`. Converts the
// client's exceptions into the port's values, once, here.
#pragma once

#include "core/payment_gateway.h"
#include "portone/v1_client.h"

namespace paymentd::portone {

class V1Gateway final : public core::PaymentGateway {
 public:
  explicit V1Gateway(const V1Client& client) : client_(client) {}

  /// `id`: an imp_uid, or a merchant_uid when V1 has no imp_uid of that name.
  core::PaymentLookup lookUp(const std::string& id) const override;
  /// Cancels with `current_cancellable_amount` as V1's checksum. A refused cancel counts
  /// as refunded when the payment is fully cancelled already (as with V2).
  core::RefundAnswer refund(const core::RefundRequest& request) const override;
  /// Not available through V1 yet: answers kRefused with kV1BillingKeyLookUpMissing.
  core::BillingKeyLookup lookUpBillingKey(const std::string& billing_key) const override;
  /// V1 has no such list: answers kRefused with kV1Unsupported (the V2 gateway sweeps).
  core::PaymentPage listPaidPayments(const core::PaidPaymentsQuery& query) const override;
  /// V1 has no resend: answers kRefused with kV1Unsupported.
  core::ResendAnswer resendWebhook(const std::string& payment_id) const override;

 private:
  bool alreadyCancelled(const std::string& merchant_uid) const;

  const V1Client& client_;
};

/// The error type V1Gateway::lookUpBillingKey answers.
inline constexpr const char* kV1BillingKeyLookUpMissing = "V1_BILLING_KEY_LOOKUP_UNSUPPORTED";

/// The error type of what paymentd does not do through V1 (the payment sweep).
inline constexpr const char* kV1Unsupported = "V1_UNSUPPORTED";

}  // namespace paymentd::portone
