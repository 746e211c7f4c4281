// portone-sandbox/control_routes.h: the sandbox's own API under /_sandbox/
// (a path PortOne does not use): payments, cards, faults, clock, webhooks and
// the request log. See docs/sandbox.md.
#pragma once

#include "http/router.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

void addControlRoutes(http::Router& router, SandboxContext& context);

}  // namespace paymentd::sandbox
