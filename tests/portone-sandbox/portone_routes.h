// portone-sandbox/portone_routes.h: the PortOne V2 API paths the sandbox answers:
// GET /payments/{id}, GET /payments (payment_list.h), POST /payments/{id}/cancel |
// /billing-key | /schedule | /resend-webhook (webhook_resend.h),
// GET /payment-schedules/{id}, DELETE /payment-schedules.
#pragma once

#include "http/router.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

void addPortOneRoutes(http::Router& router, SandboxContext& context);

}  // namespace paymentd::sandbox
