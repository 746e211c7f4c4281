// plugin_under_test.h: creates the plugin linked into this test binary through
// its exported descriptor, exactly as the host does (SDK only).
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "paymentd/plugin.h"

extern "C" const paymentd::PluginDescriptor* paymentd_plugin_descriptor();

namespace paymentd::testing {

/// @throws std::runtime_error with the factory's message when creation fails.
template <typename Interface>
std::unique_ptr<Interface> createPlugin(std::map<std::string, std::string> config = {}) {
  const PluginDescriptor* descriptor = paymentd_plugin_descriptor();
  std::string error;
  PluginInstance* instance = descriptor->create(PluginConfig(std::move(config)), error);
  if (instance == nullptr) throw std::runtime_error(error);
  auto* typed = dynamic_cast<Interface*>(instance);
  if (typed == nullptr) {
    delete instance;
    throw std::runtime_error("plugin is not of the expected kind");
  }
  return std::unique_ptr<Interface>(typed);
}

}  // namespace paymentd::testing
