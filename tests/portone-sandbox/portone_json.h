// portone-sandbox/portone_json.h: PortOne V2's JSON shapes for the sandbox's objects.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "sandbox_context.h"

namespace paymentd::sandbox {

Poco::JSON::Object paymentJson(const SandboxPayment& payment, const SandboxOptions& options);
Poco::JSON::Object cancellationJson(const SandboxCancellation& cancellation);
Poco::JSON::Object scheduleJson(const SandboxSchedule& schedule, const SandboxOptions& options);
/// PortOne's error body: {"type": TYPE, "message": MESSAGE}.
std::string errorBody(const std::string& type, const std::string& message);
std::string toJson(const Poco::JSON::Object& object);
std::string timeText(TimePoint time);

}  // namespace paymentd::sandbox
