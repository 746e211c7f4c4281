#include "outbox/attempt.h"

namespace paymentd::outbox {

const char* resultName(Attempt::Result result) {
  switch (result) {
    case Attempt::Result::kDone:
      return "done";
    case Attempt::Result::kDropped:
      return "dropped";
    case Attempt::Result::kRetry:
      return "retry";
    case Attempt::Result::kDead:
      return "dead";
  }
  return "retry";
}

}  // namespace paymentd::outbox
