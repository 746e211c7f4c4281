// The test daemon's failpoints: PAYMENTD_FAILPOINT=name[:nth] kills the process
// with SIGKILL the nth time (default: the first) the point is passed, so
// nothing after it runs: no destructor, no flush, no answer.
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

#include "failpoint/failpoint.h"

namespace paymentd::failpoint {
namespace {

struct Armed {
  std::string name;  // empty: no failpoint armed
  long nth = 1;
};

Armed armedFromEnvironment() {
  const char* value = std::getenv("PAYMENTD_FAILPOINT");
  if (value == nullptr) return {};
  Armed armed{value, 1};
  const auto colon = armed.name.find(':');
  if (colon != std::string::npos) {
    armed.nth = std::strtol(armed.name.c_str() + colon + 1, nullptr, 10);
    armed.name.resize(colon);
    if (armed.nth < 1) armed.nth = 1;
  }
  return armed;
}

}  // namespace

void hit(const char* name) {
  static const Armed armed = armedFromEnvironment();
  static std::atomic<long> hits{0};
  if (armed.name.empty() || armed.name != name) return;
  if (hits.fetch_add(1) + 1 == armed.nth) raise(SIGKILL);
}

}  // namespace paymentd::failpoint
