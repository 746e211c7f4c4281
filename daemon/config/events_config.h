// config/events_config.h: `events:`, where paymentd posts the events the
// surrounding application receives (docs/events.md). Absent: no events.
#pragma once

#include <optional>
#include <string>

#include "config/config_problems.h"
#include "config/yaml_reader.h"

namespace paymentd::config {

struct EventsConfig {
  std::string url;          // https://..., or http:// to a loopback host
  std::string secret_file;  // absolute after loading; "whsec_" + Base64, as PortOne's
  int connect_timeout_ms = 2000;
  int read_timeout_ms = 5000;  // one delivery's wait for the answer
  SourceMark url_mark;
  SourceMark secret_file_mark;
};

/// Reads `events:` (url and secret_file required); problems at their
/// file:line:column. nullopt when absent.
std::optional<EventsConfig> readEvents(MapReader& root, const std::string& base_dir);

}  // namespace paymentd::config
