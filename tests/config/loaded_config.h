// tests/config/loaded_config.h: a config file written to a scratch directory
// and read as the daemon reads it, with its problems, for the config tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "support/temp_dir.h"

namespace paymentd::config {

struct Loaded {
  std::optional<Config> config;
  std::vector<std::string> problems;
  std::string path;  // of paymentd.yaml, as problems name it
};

inline Loaded load(const testing::TempDir& dir, const std::string& text) {
  Loaded loaded;
  loaded.path = dir.write("paymentd.yaml", text);
  ConfigProblems problems;
  loaded.config = loadConfig(loaded.path, "/usr/lib/paymentd/plugins", problems);
  loaded.problems = problems.lines();
  return loaded;
}

}  // namespace paymentd::config
