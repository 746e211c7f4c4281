// The shipped binary's failpoints: nothing happens, nothing is read.
#include "failpoint/failpoint.h"

namespace paymentd::failpoint {

void hit(const char* /*name*/) {}

}  // namespace paymentd::failpoint
