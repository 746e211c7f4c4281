// portone-sandbox/webhook_resend.h: PortOne's POST /payments/{id}/resend-webhook, and the
// controls that make a payment's webhooks fail to arrive and set PortOne's resend limit.
#pragma once

#include <Poco/JSON/Object.h>

#include "http/http_message.h"
#include "http/router.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

/// Sends the payment's latest webhook again (the one its status implies:
/// Transaction.Paid for PAID, ...) to its notice URLs, signed as every webhook,
/// and answers `{webhook: PaymentWebhook}`. PAYMENT_NOT_FOUND, WEBHOOK_NOT_FOUND (no
/// notice URL), or MAX_WEBHOOK_RETRY_COUNT_REACHED once the payment was resent
/// `resend_limit` times. Takes the state's lock.
http::HttpResponse resendWebhook(SandboxContext& context, const std::string& payment_id,
                                 const Poco::JSON::Object& input);

/// POST /_sandbox/webhooks/unreachable {paymentId, unreachable?: true}: while set, the
/// payment's webhooks fail to arrive (WebhookSender::setUnreachable).
/// POST /_sandbox/resend-limit {limit}: resends taken per payment (-1: no limit, the default).
void addResendControlRoutes(http::Router& router, SandboxContext& context);

}  // namespace paymentd::sandbox
