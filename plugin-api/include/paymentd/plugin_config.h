// paymentd/plugin_config.h: the `config:` block the YAML gives one plugin entry.
//
// The host has already checked it against the plugin's declared keys: every
// key is declared, every required key is present. Values are YAML scalars as
// strings. The typed getters throw std::invalid_argument on a bad value; call
// them in the constructor, where the factory turns the exception into a load
// error naming the plugin.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace paymentd {

class PluginConfig {
 public:
  PluginConfig() = default;
  explicit PluginConfig(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  bool has(const std::string& key) const { return values_.count(key) != 0; }

  std::optional<std::string> get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

  std::string getString(const std::string& key, std::string fallback) const {
    auto value = get(key);
    return value ? *value : std::move(fallback);
  }

  std::int64_t getInt(const std::string& key, std::int64_t fallback) const {
    auto value = get(key);
    if (!value) return fallback;
    std::size_t used = 0;
    std::int64_t parsed = 0;
    try {
      parsed = std::stoll(*value, &used, 10);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value->size()) {
      throw std::invalid_argument("config key '" + key + "': '" + *value + "' is not an integer");
    }
    return parsed;
  }

  bool getBool(const std::string& key, bool fallback) const {
    auto value = get(key);
    if (!value) return fallback;
    if (*value == "true") return true;
    if (*value == "false") return false;
    throw std::invalid_argument("config key '" + key + "': '" + *value + "' is not true or false");
  }

  /// A comma-separated list ("FIRST_BILLING, BILLING"), items trimmed, empty items dropped.
  std::vector<std::string> getList(const std::string& key,
                                   std::vector<std::string> fallback) const {
    auto value = get(key);
    if (!value) return fallback;
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= value->size()) {
      std::size_t end = value->find(',', start);
      if (end == std::string::npos) end = value->size();
      std::string item = value->substr(start, end - start);
      const auto first = item.find_first_not_of(" \t");
      const auto last = item.find_last_not_of(" \t");
      if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
      start = end + 1;
    }
    return items;
  }

  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace paymentd
