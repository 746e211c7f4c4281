// portone-sandbox/portone_json.h: PortOne V2's JSON shapes for the sandbox's objects.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

#include "sandbox_context.h"

namespace paymentd::sandbox {

Poco::JSON::Object paymentJson(const SandboxPayment& payment, const SandboxOptions& options);
Poco::JSON::Object cancellationJson(const SandboxCancellation& cancellation);
/// BillingKeyInfo (ISSUED or DELETED) with one card method, its number masked.
Poco::JSON::Object billingKeyJson(const SandboxBillingKey& key, const SandboxOptions& options);
/// "1234567812345678" -> "123456******5678": PortOne shows a card's BIN and last 4 digits only.
std::string maskedCardNumber(const std::string& number);
Poco::JSON::Object scheduleJson(const SandboxSchedule& schedule, const SandboxOptions& options);
/// PortOne's error body: {"type": TYPE, "message": MESSAGE}.
std::string errorBody(const std::string& type, const std::string& message);
std::string toJson(const Poco::JSON::Object& object);
std::string timeText(TimePoint time);

/// A request body as an object; nullptr when it is not one ("" counts as {}).
Poco::JSON::Object::Ptr bodyObject(const std::string& text);
/// The key's value when it is a string (or an integer), else nullopt.
std::optional<std::string> optText(const Poco::JSON::Object& object, const std::string& key);
std::optional<std::int64_t> optInteger(const Poco::JSON::Object& object, const std::string& key);

}  // namespace paymentd::sandbox
