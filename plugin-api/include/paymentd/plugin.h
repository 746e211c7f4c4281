// paymentd/plugin.h: how a shared library declares itself a paymentd plugin.
//
// A plugin library exports exactly one C symbol, `paymentd_plugin_descriptor`,
// returning its PluginDescriptor. The host reads the descriptor without
// creating anything, checks the API version and the declared config keys, and
// only then calls `create`. Write it with the PAYMENTD_PLUGIN macro:
//
//   class MaxAmount final : public paymentd::Validator { ... };
//   constexpr paymentd::ConfigKey kKeys[] = {
//       {"max_amount", paymentd::ConfigKey::kRequired, "largest accepted total, KRW"}};
//   PAYMENTD_PLUGIN(MaxAmount, {.name = "max-amount", .version = "1.0.0",
//                               .description = "Rejects totals above a limit",
//                               .config_keys = kKeys})
//
// The kind (validator, processor, notifier) is taken from the class's base.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <type_traits>

#include "paymentd/export.h"
#include "paymentd/notifier.h"
#include "paymentd/plugin_base.h"
#include "paymentd/plugin_config.h"
#include "paymentd/processor.h"
#include "paymentd/validator.h"
#include "paymentd/version.h"

namespace paymentd {

enum class PluginKind : std::uint32_t { kValidator = 1, kProcessor = 2, kNotifier = 3 };

/// One key the plugin accepts in its `config:` block.
struct ConfigKey {
  enum Presence : std::uint32_t { kOptional = 0, kRequired = 1 };
  const char* name;
  Presence presence;
  const char* help;  // one line, shown by `paymentd --check-config` on errors
};

/// What the plugin author writes in PAYMENTD_PLUGIN.
struct PluginInfo {
  const char* name;         // unique among loaded plugins of one version, e.g. "amount"
  const char* version;      // the plugin's own version, e.g. "1.2.0"
  const char* description;  // one line
  std::span<const ConfigKey> config_keys = {};
};

/// Marks the first bytes of every descriptor, so the host can tell a paymentd
/// descriptor from a stray symbol of the same name before reading further.
inline constexpr std::uint32_t kDescriptorMagic = 0x504d5444;  // "PMTD"

/// The exported descriptor. Layout rule: `magic`, `api_major` and `api_minor`
/// stay the first three fields in every API version, so any host can refuse
/// any plugin with a precise message. Everything after them is read only when
/// the versions are compatible.
struct PluginDescriptor {
  std::uint32_t magic;
  std::uint16_t api_major;
  std::uint16_t api_minor;
  const char* name;
  const char* version;
  const char* description;
  PluginKind kind;
  const ConfigKey* config_keys;
  std::size_t config_key_count;
  /// Creates an instance; on failure returns nullptr and sets `error`. Never throws.
  PluginInstance* (*create)(const PluginConfig& config, std::string& error);
};

namespace internal {

template <typename T>
constexpr PluginKind kindOf() {
  static_assert(std::is_base_of_v<Validator, T> + std::is_base_of_v<Processor, T> +
                        std::is_base_of_v<Notifier, T> ==
                    1,
                "a plugin class derives from exactly one of Validator, Processor, Notifier");
  if constexpr (std::is_base_of_v<Validator, T>) return PluginKind::kValidator;
  if constexpr (std::is_base_of_v<Processor, T>) return PluginKind::kProcessor;
  if constexpr (std::is_base_of_v<Notifier, T>) return PluginKind::kNotifier;
}

// Keeps exceptions inside the plugin: a throwing constructor becomes `error`.
template <typename T>
PluginInstance* create(const PluginConfig& config, std::string& error) noexcept {
  try {
    return new T(config);
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown exception";
  }
  return nullptr;
}

template <typename T>
constexpr PluginDescriptor makeDescriptor(const PluginInfo& info) {
  static_assert(std::is_constructible_v<T, const PluginConfig&>,
                "a plugin class has a constructor taking const paymentd::PluginConfig&");
  return PluginDescriptor{kDescriptorMagic,
                          PAYMENTD_PLUGIN_API_VERSION_MAJOR,
                          PAYMENTD_PLUGIN_API_VERSION_MINOR,
                          info.name,
                          info.version,
                          info.description,
                          kindOf<T>(),
                          info.config_keys.data(),
                          info.config_keys.size(),
                          &create<T>};
}

}  // namespace internal
}  // namespace paymentd

/// The C symbol every plugin exports.
#define PAYMENTD_DESCRIPTOR_SYMBOL "paymentd_plugin_descriptor"

/// Declares the library's one plugin: its class and its PluginInfo initializer.
#define PAYMENTD_PLUGIN(PluginClass, ...)                                                       \
  extern "C" PAYMENTD_EXPORT const ::paymentd::PluginDescriptor* paymentd_plugin_descriptor() { \
    static const ::paymentd::PluginDescriptor descriptor =                                      \
        ::paymentd::internal::makeDescriptor<PluginClass>(::paymentd::PluginInfo __VA_ARGS__);  \
    return &descriptor;                                                                         \
  }
