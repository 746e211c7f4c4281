// paymentd.yaml and plans.yaml as an operator (or a broken deploy) may write
// them: any bytes, read by the strict YAML reader. Either a config or
// `file:line:column: message` lines; never a crash, never a hang. The bytes are
// written to a file in a private directory (the readers take paths); relative
// paths inside resolve there, where nothing else exists.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "config/catalog_file.h"
#include "config/config.h"
#include "config/config_problems.h"

namespace {

const std::string& scratchDir() {
  static const std::string dir = [] {
    char pattern[] = "/tmp/paymentd-fuzz-config-XXXXXX";
    if (mkdtemp(pattern) == nullptr) std::abort();
    return std::string(pattern);
  }();
  return dir;
}

std::string writeInput(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::string path = scratchDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    paymentd::config::ConfigProblems problems;
    const auto config =
        paymentd::config::loadConfig(writeInput("paymentd.yaml", data, size), "", problems);
    if (!config && problems.lines().empty()) std::abort();  // refused without saying why
  }
  {
    paymentd::config::ConfigProblems problems;
    const auto plans =
        paymentd::config::loadPlanCatalog(writeInput("plans.yaml", data, size), problems);
    if (!plans && problems.lines().empty()) std::abort();
  }
  return 0;
}
