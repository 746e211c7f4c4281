// config/portone_v1_config.h: `portone.v1`, PortOne's V1 (Iamport) API, for billing keys
// registered before V2. Absent: paymentd has no V1.
#pragma once

#include <optional>
#include <string>

#include "config/config_problems.h"
#include "config/yaml_reader.h"

namespace paymentd::config {

struct PortOneV1Config {
  std::string api_base;             // "https://api.iamport.kr" or a loopback sandbox
  std::string imp_key_file;         // absolute after loading
  std::string imp_secret_file;      // absolute after loading
  SourceMark imp_key_file_mark;     // for --check-config
  SourceMark imp_secret_file_mark;  // for --check-config
};

/// Reads `v1` inside the `portone` map (all three keys required, nothing else);
/// problems go to `portone`'s list with their file:line:column. nullopt when absent.
std::optional<PortOneV1Config> readPortOneV1(MapReader& portone, const std::string& base_dir);

}  // namespace paymentd::config
