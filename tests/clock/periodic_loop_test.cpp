// PeriodicLoop::stalled: what the systemd watchdog asks before each ping. A loop
// waiting between passes is never stalled; a pass that does not return is, once it
// has run longer than the limit, and stops being so when it returns.
#include "clock/periodic_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace paymentd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

void waitUntil(const std::atomic<int>& value, int at_least) {
  const auto deadline = std::chrono::steady_clock::now() + seconds(5);
  while (value.load() < at_least && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  ASSERT_GE(value.load(), at_least);
}

TEST(PeriodicLoop, AHungPassIsStalledOncePastTheLimitAndNoLongerWhenItReturns) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> finished{0};
  PeriodicLoop loop("test.loop", seconds(30), [&] {
    if (finished.load() == 0) {  // the first pass hangs, as a call without a deadline would
      entered.set_value();
      released.wait();
    }
    finished.fetch_add(1);
    return false;
  });
  loop.start();
  entered.get_future().wait();
  EXPECT_FALSE(loop.stalled(seconds(10))) << "the hung pass is young yet";
  std::this_thread::sleep_for(milliseconds(80));
  EXPECT_TRUE(loop.stalled(milliseconds(50))) << "80 ms into a pass, against a 50 ms limit";
  release.set_value();
  waitUntil(finished, 1);
  std::this_thread::sleep_for(milliseconds(10));
  EXPECT_FALSE(loop.stalled(milliseconds(0))) << "waiting 30 s for the next pass is not stalled";
  loop.stop();
  EXPECT_FALSE(loop.stalled(milliseconds(0)));
}

}  // namespace
}  // namespace paymentd
