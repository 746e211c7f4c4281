// loader/plugin_library.h: one plugin shared library, loaded and checked.
//
// Loading binds every symbol at once (RTLD_NOW), so a missing symbol is a load
// error at start instead of a crash at first call. The library stays loaded
// while the PluginLibrary or any instance created from it lives: every
// instance holds a shared_ptr to its library.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "paymentd/plugin.h"

namespace paymentd::loader {

/// A refusal; the message is the reason, and the caller names the file.
class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const char* kindName(PluginKind kind);

class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
 public:
  /// Loads and checks the library. @throws PluginLoadError.
  static std::shared_ptr<PluginLibrary> load(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const PluginDescriptor& descriptor() const { return *descriptor_; }
  std::string name() const { return descriptor_->name; }
  std::string version() const { return descriptor_->version; }
  /// name@version: what makes a plugin unique among those loaded.
  std::string identity() const { return name() + "@" + version(); }
  PluginKind kind() const { return descriptor_->kind; }

  /// Creates an instance through the plugin's factory. The instance keeps this
  /// library loaded. @throws PluginLoadError naming the plugin when the factory fails.
  std::shared_ptr<PluginInstance> create(const PluginConfig& config);

 private:
  PluginLibrary(std::filesystem::path path, boost::dll::shared_library library,
                const PluginDescriptor* descriptor);

  std::filesystem::path path_;
  boost::dll::shared_library library_;
  const PluginDescriptor* descriptor_;
};

}  // namespace paymentd::loader
