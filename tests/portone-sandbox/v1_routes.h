// portone-sandbox/v1_routes.h: PortOne's V1 (Iamport) API, under the base path /v1 so
// that its /payments/... never meets V2's: POST /v1/users/getToken, GET
// /v1/payments/{imp_uid} and /v1/payments/find/{merchant_uid}, POST /v1/payments/cancel, POST
// /v1/subscribe/payments/schedule and /unschedule. Bodies are JSON. Logged and faulted like V2's
// routes (request_gate.h).
#pragma once

#include "http/router.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

void addV1Routes(http::Router& router, SandboxContext& context);

/// /_sandbox/v1/payments (create), /_sandbox/v1/tokens/expire, GET /_sandbox/v1/schedules.
void addV1ControlRoutes(http::Router& router, SandboxContext& context);

}  // namespace paymentd::sandbox
