#include "config/yaml_reader.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "config/bounded_file.h"

namespace paymentd::config {
namespace {

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "empty";
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    default:
      return "undefined";
  }
}

}  // namespace

SourceMark markOf(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return SourceMark{file, 0, 0};
  return SourceMark{file, mark.line + 1, mark.column + 1};
}

std::optional<YAML::Node> loadYamlFile(const std::string& path, ConfigProblems& problems) {
  const BoundedRead file = readRegularFile(path, kMaxConfigFileBytes);
  if (!file.content) {
    problems.add(SourceMark{path, 0, 0}, "cannot read config file: " + file.problem);
    return std::nullopt;
  }
  try {
    YAML::Node root = YAML::Load(*file.content);
    if (!root.IsMap()) {
      problems.add(markOf(path, root), "the config must be a map of keys, found " + describe(root));
      return std::nullopt;
    }
    return root;
  } catch (const YAML::Exception& e) {
    problems.add(SourceMark{path, e.mark.line + 1, e.mark.column + 1},
                 "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

MapReader::MapReader(const YAML::Node& node, std::string file, std::string what,
                     ConfigProblems& problems)
    : node_(node), file_(std::move(file)), what_(std::move(what)), problems_(problems) {
  if (!node_.IsMap()) {
    problems_.add(markOf(file_, node_), what_ + " must be a map, found " + describe(node_));
    valid_ = false;
    return;
  }
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) {
      problems_.add(markOf(file_, entry.first), "keys in " + what_ + " must be plain words");
      continue;
    }
    const std::string key = entry.first.Scalar();
    if (keys_.count(key) != 0) {
      problems_.add(markOf(file_, entry.first), "duplicate key '" + key + "' in " + what_);
      continue;
    }
    keys_[key] = entry.first;
    values_[key] = entry.second;
  }
}

bool MapReader::has(const std::string& key) const {
  return values_.count(key) != 0;
}

SourceMark MapReader::markOfKey(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? mark() : markOf(file_, it->second);
}

YAML::Node MapReader::node(const std::string& key, bool required) {
  read_.insert(key);
  auto it = values_.find(key);
  if (it == values_.end()) {
    if (required && valid_) problems_.add(mark(), "missing required key '" + key + "' in " + what_);
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return it->second;
}

std::optional<YAML::Node> MapReader::scalarNode(const std::string& key, bool required) {
  YAML::Node value = node(key, required);
  if (!value.IsDefined()) return std::nullopt;
  if (!value.IsScalar()) {
    problems_.add(markOf(file_, value),
                  what_ + "." + key + " must be a single value, found " + describe(value));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> MapReader::string(const std::string& key, bool required) {
  auto value = scalarNode(key, required);
  if (!value) return std::nullopt;
  return value->Scalar();
}

std::optional<std::int64_t> MapReader::integer(const std::string& key, bool required,
                                               std::int64_t min, std::int64_t max) {
  auto value = scalarNode(key, required);
  if (!value) return std::nullopt;
  const std::string& text = value->Scalar();
  std::int64_t parsed = 0;
  std::size_t used = 0;
  try {
    parsed = std::stoll(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    problems_.add(markOf(file_, *value),
                  what_ + "." + key + " must be an integer, found '" + text + "'");
    return std::nullopt;
  }
  if (parsed < min || parsed > max) {
    problems_.add(markOf(file_, *value), what_ + "." + key + " must be between " +
                                             std::to_string(min) + " and " + std::to_string(max) +
                                             ", found " + text);
    return std::nullopt;
  }
  return parsed;
}

std::optional<bool> MapReader::boolean(const std::string& key, bool required) {
  auto value = scalarNode(key, required);
  if (!value) return std::nullopt;
  const std::string& text = value->Scalar();
  if (text == "true") return true;
  if (text == "false") return false;
  problems_.add(markOf(file_, *value),
                what_ + "." + key + " must be true or false, found '" + text + "'");
  return std::nullopt;
}

std::optional<std::vector<std::string>> MapReader::strings(const std::string& key, bool required) {
  YAML::Node value = node(key, required);
  if (!value.IsDefined()) return std::nullopt;
  if (!value.IsSequence()) {
    problems_.add(markOf(file_, value),
                  what_ + "." + key + " must be a list, found " + describe(value));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : value) {
    if (!item.IsScalar()) {
      problems_.add(markOf(file_, item),
                    what_ + "." + key + " items must be single values, found " + describe(item));
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> expandEnvironment(const std::string& text, std::string& missing) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto start = text.find("${", pos);
    if (start == std::string::npos) break;
    const auto end = text.find('}', start);
    if (end == std::string::npos) break;
    const std::string name = text.substr(start + 2, end - start - 2);
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      missing = name;
      return std::nullopt;
    }
    out += text.substr(pos, start - pos) + value;
    pos = end + 1;
  }
  return out + text.substr(pos);
}

std::string unsetVariable(const std::string& name) {
  std::string text = "${" + name + "}, which is not set in the environment";
  // The packaged config's secrets: systemd sets it for the unit only.
  if (name == "CREDENTIALS_DIRECTORY") {
    text +=
        " (the unit sets it; outside the unit pass --credentials-dir=/etc/paymentd/credentials)";
  }
  return text;
}

std::string resolvePath(const std::string& base_dir, const std::string& path) {
  const std::filesystem::path p(path);
  return (p.is_absolute() ? p : std::filesystem::path(base_dir) / p).lexically_normal().string();
}

std::optional<std::string> MapReader::path(const std::string& key, bool required,
                                           const std::string& base_dir) {
  auto value = string(key, required);
  if (!value) return std::nullopt;
  std::string missing;
  auto expanded = expandEnvironment(*value, missing);
  if (!expanded) {
    problems_.add(markOfKey(key), what_ + "." + key + " uses " + unsetVariable(missing));
    return std::nullopt;
  }
  return resolvePath(base_dir, *expanded);
}

std::optional<std::vector<std::string>> MapReader::paths(const std::string& key, bool required,
                                                         const std::string& base_dir) {
  auto values = strings(key, required);
  if (!values) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& value : *values) {
    std::string missing;
    auto expanded = expandEnvironment(value, missing);
    if (!expanded) {
      problems_.add(markOfKey(key), what_ + "." + key + " uses " + unsetVariable(missing));
      return std::nullopt;
    }
    out.push_back(resolvePath(base_dir, *expanded));
  }
  return out;
}

void MapReader::finish() {
  // Reported in file order, the order an operator reads them.
  std::vector<std::pair<YAML::Mark, std::string>> unknown;
  for (const auto& [key, key_node] : keys_) {
    if (read_.count(key) == 0) unknown.emplace_back(key_node.Mark(), key);
  }
  std::sort(unknown.begin(), unknown.end(),
            [](const auto& a, const auto& b) { return a.first.pos < b.first.pos; });
  for (const auto& [position, key] : unknown) {
    problems_.add(SourceMark{file_, position.line + 1, position.column + 1},
                  "unknown key '" + key + "' in " + what_);
  }
}

}  // namespace paymentd::config
