// config/yaml_reader.h: strict reading of YAML config with positions in every error.
//
// yaml-cpp silently accepts duplicate keys (first wins) and reports missing keys
// without a position; this reader closes both gaps. Each MapReader remembers
// which keys were read; finish() reports the rest as unknown, at their own
// line and column.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config_problems.h"

namespace paymentd::config {

/// Parses a YAML file; on failure records the problem and returns nullopt.
std::optional<YAML::Node> loadYamlFile(const std::string& path, ConfigProblems& problems);

SourceMark markOf(const std::string& file, const YAML::Node& node);

/// Replaces each ${NAME} with the environment variable; nullopt and `missing`
/// set to the first unset name.
std::optional<std::string> expandEnvironment(const std::string& text, std::string& missing);

/// `path` made absolute against `base_dir` (kept as is when already absolute).
std::string resolvePath(const std::string& base_dir, const std::string& path);

/// "${NAME}, which is not set in the environment", with a hint where there is one.
std::string unsetVariable(const std::string& name);

class MapReader {
 public:
  /// `what` names the map in messages, e.g. "http" or "plugins.validators[0]".
  MapReader(const YAML::Node& node, std::string file, std::string what, ConfigProblems& problems);

  bool valid() const { return valid_; }
  bool has(const std::string& key) const;
  SourceMark mark() const { return markOf(file_, node_); }
  /// The position of a key's value (or of the map when the key is absent).
  SourceMark markOfKey(const std::string& key) const;

  std::optional<std::string> string(const std::string& key, bool required);
  std::optional<std::int64_t> integer(const std::string& key, bool required, std::int64_t min,
                                      std::int64_t max);
  std::optional<bool> boolean(const std::string& key, bool required);
  std::optional<std::vector<std::string>> strings(const std::string& key, bool required);
  /// A file path: ${VAR} is replaced from the environment (systemd sets
  /// CREDENTIALS_DIRECTORY and STATE_DIRECTORY), then a relative path is made
  /// relative to `base_dir`. An unset variable is a problem at the value.
  std::optional<std::string> path(const std::string& key, bool required,
                                  const std::string& base_dir);
  std::optional<std::vector<std::string>> paths(const std::string& key, bool required,
                                                const std::string& base_dir);
  /// The raw node of a key, marked as read; undefined node when absent.
  YAML::Node node(const std::string& key, bool required);

  /// Reports every key that was never read.
  void finish();

  const std::string& file() const { return file_; }
  ConfigProblems& problems() { return problems_; }

 private:
  std::optional<YAML::Node> scalarNode(const std::string& key, bool required);

  YAML::Node node_;
  std::string file_;
  std::string what_;
  ConfigProblems& problems_;
  bool valid_ = true;
  std::map<std::string, YAML::Node> values_;
  std::map<std::string, YAML::Node> keys_;
  std::set<std::string> read_;
};

}  // namespace paymentd::config
