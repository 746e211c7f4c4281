// portone-sandbox/request_gate.h: what happens to every PortOne API request
// before and after its handler: the request log, injected faults, the
// Authorization check and Idempotency-Key replay.
#pragma once

#include <functional>

#include "http/router.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

/// How a gated API checks who calls it: V2 by "Authorization: PortOne <secret>", V1 by
/// its access token. `check` runs with the state's mutex held; `refusal` is the 401.
struct GateAuth {
  std::function<bool(const http::HttpRequest&, const SandboxState&)> check;
  std::function<http::HttpResponse()> refusal;
};

/// Wraps a PortOne API handler. The handler runs without the state lock held
/// and takes it itself.
http::Handler gated(SandboxContext& context, http::Handler handler);
/// The same, with another API's check of the caller.
http::Handler gated(SandboxContext& context, http::Handler handler, GateAuth auth);

}  // namespace paymentd::sandbox
