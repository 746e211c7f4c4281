// pipeline/stopwatch.h: how long a step took, for the trace and the metrics.
#pragma once

#include <chrono>

namespace paymentd::pipeline {

class Stopwatch {
 public:
  Stopwatch() : started_(std::chrono::steady_clock::now()) {}
  std::chrono::microseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 started_);
  }
  double seconds() const { return std::chrono::duration<double>(elapsed()).count(); }

 private:
  std::chrono::steady_clock::time_point started_;
};

}  // namespace paymentd::pipeline
