// portone/observed_call.h: how a PortOne client reports each call's end to the
// metrics, the same for the V2 and the V1 client.
#pragma once

#include <functional>
#include <string>

#include "portone/api_error.h"

namespace paymentd::portone {

/// Told of every call's end: the endpoint's name (one of the client's endpointNames())
/// and its outcome: "ok", "transient", or PortOne's error type ("error" when it named none).
using CallObserver = std::function<void(const std::string& endpoint, const std::string& outcome)>;

/// `call()`, reported to `on_call` (when set) as it ended; rethrows what it threw.
template <typename Call>
auto observedCall(const CallObserver& on_call, const std::string& endpoint, Call&& call) {
  if (!on_call) return call();
  try {
    auto result = call();
    on_call(endpoint, "ok");
    return result;
  } catch (const TransientError&) {
    on_call(endpoint, "transient");
    throw;
  } catch (const ApiError& e) {
    on_call(endpoint, e.type().empty() ? "error" : e.type());
    throw;
  } catch (...) {
    on_call(endpoint, "error");
    throw;
  }
}

}  // namespace paymentd::portone
