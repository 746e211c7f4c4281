// portone/v1_webhook.h: the body of a V1 (Iamport) webhook, `{imp_uid, merchant_uid,
// status}` as JSON or as a form (PortOne's console chooses). It carries no signature,
// so it is only a hint of which payment to read again from V1.
#pragma once

#include <optional>
#include <string>

namespace paymentd::portone {

struct V1Webhook {
  std::string imp_uid;       // PortOne's id: what GET /payments/{imp_uid} takes
  std::string merchant_uid;  // paymentd's id of the payment
  std::string status;        // paid, failed, ready, cancelled (a hint only)
};

/// nullopt unless the body is a JSON object or a form with a non-empty imp_uid and
/// merchant_uid of a payment id's shape (portone/payment_id.h).
std::optional<V1Webhook> parseV1Webhook(const std::string& body);

}  // namespace paymentd::portone
