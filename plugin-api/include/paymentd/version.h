// paymentd/version.h: the plugin API version a plugin is built against.
//
// Compatibility rule the host enforces when it loads a plugin:
//   - the major versions must be equal;
//   - the plugin's minor version must not be newer than the host's.
// A minor bump only appends: new headers, new free functions, new virtual
// functions at the END of a host-implemented interface (StoreReader,
// StoreWriter). Anything else is a major bump.
#pragma once

#include <cstdint>

#define PAYMENTD_PLUGIN_API_VERSION_MAJOR 1
#define PAYMENTD_PLUGIN_API_VERSION_MINOR 0

namespace paymentd {

struct ApiVersion {
  std::uint16_t major;
  std::uint16_t minor;
};

inline constexpr ApiVersion kPluginApiVersion{PAYMENTD_PLUGIN_API_VERSION_MAJOR,
                                              PAYMENTD_PLUGIN_API_VERSION_MINOR};

/// @return whether a plugin built against `plugin` may be loaded by a host at `host`.
constexpr bool isCompatible(ApiVersion host, ApiVersion plugin) {
  return plugin.major == host.major && plugin.minor <= host.minor;
}

}  // namespace paymentd
