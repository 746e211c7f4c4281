// loader/plugin_call.h: calls into a plugin with the host's guard around it.
//
// The SDK keeps exceptions inside plugins, but a plugin written without it (or
// a bug in one) may still throw. The guard turns anything that escapes into a
// rejected Outcome with code PLUGIN_FAILED naming the plugin, so one bad
// plugin can neither crash the daemon nor leave a payment half-done.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "paymentd/outcome.h"

namespace paymentd::loader {

inline constexpr const char* kPluginFailedCode = "PLUGIN_FAILED";

/// @param identity the plugin's name@version, for the message.
/// @param call     a callable returning Outcome.
template <typename Call>
Outcome callPlugin(const std::string& identity, Call&& call) noexcept {
  try {
    return std::forward<Call>(call)();
  } catch (const std::exception& e) {
    return Outcome::rejected(kPluginFailedCode, "plugin " + identity + " threw: " + e.what());
  } catch (...) {
    return Outcome::rejected(kPluginFailedCode, "plugin " + identity + " threw a non-exception");
  }
}

}  // namespace paymentd::loader
