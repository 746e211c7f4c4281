// paymentd-post-events: posts sample events through paymentd's own event
// executor (outbox/event_executor.h), as the outbox worker does, for
// events.mjs to judge with the `standardwebhooks` reference library.
//   paymentd-post-events URL SECRET_FILE
// Posts item 41 until it is delivered (at most 3 attempts), then item 42 once;
// prints one line per attempt. Exits 0 when both were delivered.
#include <iostream>

#include "clock/clock.h"
#include "config/config_problems.h"
#include "outbox/event_executor.h"
#include "storage/event_outbox.h"

int main(int argc, char** argv) {
  using namespace paymentd;
  if (argc != 3) {
    std::cerr << "usage: paymentd-post-events URL SECRET_FILE\n";
    return 2;
  }
  config::EventsConfig events;
  events.url = argv[1];
  events.secret_file = argv[2];
  config::ConfigProblems problems;
  auto target = outbox::readEventTarget(events, SystemClock::instance(), problems);
  if (!target) {
    for (const auto& line : problems.lines()) std::cerr << line << "\n";
    return 2;
  }
  const outbox::EventExecutor executor(SystemClock::instance(), std::move(target));
  const auto post = [&](std::int64_t id, const std::string& body, int attempts) {
    const storage::OutboxRecord record{id, OutboxItem{storage::kOutboxEvent, "sample", body, {}}, 0,
                                       ""};
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      const outbox::Attempt result = executor.execute(record);
      std::cout << "item " << id << " attempt " << attempt << ": " << result.detail << "\n";
      if (result.result == outbox::Attempt::Result::kDone) return true;
    }
    return false;
  };
  const bool first =
      post(41,
           R"({"type":"subscription.created","timestamp":"2026-12-03T12:00:00.000Z",)"
           R"("data":{"subscriptionId":7,"userId":"42","planId":"monthly-4",)"
           R"("paymentId":"결제-1"}})",
           3);
  const bool second = post(42,
                           R"({"type":"payment.refunded","timestamp":"2026-12-03T12:00:01.000Z",)"
                           R"("data":{"paymentId":"결제-1","userId":"42","amount":9000,)"
                           R"("currency":"KRW"}})",
                           1);
  return first && second ? 0 : 1;
}
