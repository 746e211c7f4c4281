#include "loader/plugin_library.h"

#include <boost/dll/shared_library_load_mode.hpp>
#include <boost/system/system_error.hpp>

namespace paymentd::loader {
namespace {

std::string apiText(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Boost wraps dlerror() as "...failed (dlerror system message: PATH: TEXT): <errno text>";
// TEXT is the useful part (the caller names the file already).
std::string dlerrorText(const std::string& what, const std::string& path) {
  const std::string marker = "dlerror system message: ";
  const auto start = what.find(marker);
  if (start == std::string::npos) return what;
  const auto end = what.rfind("): ");
  auto from = start + marker.size();
  std::string text =
      what.substr(from, end == std::string::npos || end < from ? std::string::npos : end - from);
  if (text.rfind(path + ": ", 0) == 0) text.erase(0, path.size() + 2);
  return text;
}

}  // namespace

const char* kindName(PluginKind kind) {
  switch (kind) {
    case PluginKind::kValidator:
      return "validator";
    case PluginKind::kProcessor:
      return "processor";
    case PluginKind::kNotifier:
      return "notifier";
  }
  return "unknown kind";
}

PluginLibrary::PluginLibrary(std::filesystem::path path, boost::dll::shared_library library,
                             const PluginDescriptor* descriptor)
    : path_(std::move(path)), library_(std::move(library)), descriptor_(descriptor) {}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::filesystem::path& path) {
  boost::dll::shared_library library;
  try {
    library.load(boost::dll::fs::path(path.string()),
                 boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const boost::dll::fs::system_error& e) {
    throw PluginLoadError("cannot load: " + dlerrorText(e.what(), path.string()));
  }
  if (!library.has(PAYMENTD_DESCRIPTOR_SYMBOL)) {
    throw PluginLoadError("not a paymentd plugin (no " PAYMENTD_DESCRIPTOR_SYMBOL
                          " symbol; build it with PAYMENTD_PLUGIN)");
  }
  using DescriptorFunction = const PluginDescriptor*();
  auto& get_descriptor = library.get<DescriptorFunction>(PAYMENTD_DESCRIPTOR_SYMBOL);
  const PluginDescriptor* descriptor = get_descriptor();
  if (descriptor == nullptr || descriptor->magic != kDescriptorMagic) {
    throw PluginLoadError("not a paymentd plugin (" PAYMENTD_DESCRIPTOR_SYMBOL
                          " returned no valid descriptor)");
  }
  const ApiVersion built{descriptor->api_major, descriptor->api_minor};
  if (!isCompatible(kPluginApiVersion, built)) {
    const std::string host = apiText(kPluginApiVersion.major, kPluginApiVersion.minor);
    const std::string reason =
        built.major != kPluginApiVersion.major
            ? "built for plugin API " + apiText(built.major, built.minor) +
                  ", but this paymentd implements API " + host + " (major versions differ)"
            : "built for plugin API " + apiText(built.major, built.minor) +
                  ", newer than this paymentd's API " + host + " (upgrade paymentd)";
    throw PluginLoadError(reason);
  }
  if (descriptor->name == nullptr || *descriptor->name == '\0' || descriptor->version == nullptr ||
      *descriptor->version == '\0' || descriptor->create == nullptr) {
    throw PluginLoadError("not a paymentd plugin (descriptor has no name, version or factory)");
  }
  const auto kind = static_cast<std::uint32_t>(descriptor->kind);
  if (kind < 1 || kind > 3) {
    throw PluginLoadError(std::string("plugin '") + descriptor->name +
                          "' declares an unknown kind " + std::to_string(kind));
  }
  return std::shared_ptr<PluginLibrary>(new PluginLibrary(path, std::move(library), descriptor));
}

std::shared_ptr<PluginInstance> PluginLibrary::create(const PluginConfig& config) {
  std::string error;
  PluginInstance* raw = nullptr;
  try {
    raw = descriptor_->create(config, error);
  } catch (...) {  // the SDK's factory never throws; a hand-written one might
    error = "the factory threw an exception";
  }
  if (raw == nullptr) {
    throw PluginLoadError("plugin '" + name() + "' failed to start: " +
                          (error.empty() ? "factory returned nothing" : error));
  }
  // The deleter owns a reference to the library, so the code of the instance's
  // destructor is still mapped when it runs.
  auto self = shared_from_this();
  return std::shared_ptr<PluginInstance>(raw,
                                         [self](PluginInstance* instance) { delete instance; });
}

}  // namespace paymentd::loader
