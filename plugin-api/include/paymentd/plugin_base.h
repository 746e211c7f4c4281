// paymentd/plugin_base.h: the base of every object a plugin creates.
#pragma once

namespace paymentd {

/// The host owns each instance and deletes it through this destructor, while
/// the plugin's library is still loaded.
class PluginInstance {
 public:
  virtual ~PluginInstance() = default;
};

}  // namespace paymentd
