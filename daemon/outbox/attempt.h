// outbox/attempt.h: how one try at an outbox item ended.
#pragma once

#include <string>

namespace paymentd::outbox {

struct Attempt {
  enum class Result {
    kDone = 1,  // carried out (or found done already: idempotent)
    kDropped,   // a notice whose moment has passed (never sent late), or a disabled channel's
    kRetry,     // transient: try again after a backoff
    kDead,      // permanent: never try again on its own
  };
  Result result;
  std::string detail;  // one line for the trace; no secrets, no phone numbers
};

const char* resultName(Attempt::Result result);

}  // namespace paymentd::outbox
