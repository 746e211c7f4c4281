// portone-sandbox/request_gate.h: what happens to every PortOne API request
// before and after its handler: the request log, injected faults, the
// Authorization check and Idempotency-Key replay.
#pragma once

#include "http/router.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

/// Wraps a PortOne API handler. The handler runs without the state lock held
/// and takes it itself.
http::Handler gated(SandboxContext& context, http::Handler handler);

}  // namespace paymentd::sandbox
