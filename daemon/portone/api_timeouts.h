// `portone`'s call limits, which the V2 and the V1 client share: read from the config
// once here, so a start and a reload give both clients the same limits.
#pragma once

#include "config/config.h"
#include "portone/api_transport.h"

namespace paymentd::portone {

/// The connect, read and whole-call limits of `portone`.
ApiTimeouts timeoutsOf(const config::PortOneConfig& config);

/// Sets a transport's start-up limits to those of `portone`.
void useTimeouts(ApiTransportOptions& transport, const config::PortOneConfig& config);

}  // namespace paymentd::portone
