// pipeline/payment_trace.h: one payment's story, step by step.
//
// Each step is logged at once (with payment_id, stage and plugin) and kept as a
// payment event. Events are written in their own short transactions, so they
// survive the rollback of the payment's work; while the payment's transaction
// is open they are only buffered, because SQLite has one writer at a time and
// this thread holds it.
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <string>
#include <vector>

#include "clock/clock.h"
#include "storage/payment_log.h"

namespace paymentd::pipeline {

class PaymentTrace {
 public:
  PaymentTrace(storage::PaymentLog& log, const Clock& clock, std::string payment_id);
  /// Writes whatever is still buffered (best effort).
  ~PaymentTrace();
  PaymentTrace(const PaymentTrace&) = delete;
  PaymentTrace& operator=(const PaymentTrace&) = delete;

  using Duration = std::chrono::microseconds;

  /// Logs and buffers one step; `took` is how long it ran.
  void add(const std::string& stage, const std::string& result, const std::string& detail = "",
           Duration took = Duration{0});
  /// Logs one step and writes it (with everything buffered) now.
  /// @throws storage::Transient when the database cannot take it.
  void record(const std::string& stage, const std::string& result, const std::string& detail = "",
              Duration took = Duration{0});
  /// Writes the buffered steps; a write failure is logged, not thrown (the
  /// payment's outcome is already decided and committed).
  void flush() noexcept;

  const std::string& paymentId() const { return payment_id_; }
  Poco::Logger& logger() const { return logger_; }

 private:
  void log(const storage::PaymentEvent& event) const;
  void write();

  storage::PaymentLog& log_;
  const Clock& clock_;
  std::string payment_id_;
  std::vector<storage::PaymentEvent> pending_;
  Poco::Logger& logger_;
};

}  // namespace paymentd::pipeline
