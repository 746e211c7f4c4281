#include "pipeline/payment_trace.h"

#include <Poco/Message.h>

#include "storage/errors.h"

namespace paymentd::pipeline {

PaymentTrace::PaymentTrace(storage::PaymentLog& log, const Clock& clock, std::string payment_id)
    : log_(log),
      clock_(clock),
      payment_id_(std::move(payment_id)),
      logger_(Poco::Logger::get("pipeline")) {}

PaymentTrace::~PaymentTrace() {
  flush();
}

void PaymentTrace::log(const storage::PaymentEvent& event) const {
  const bool bad = event.result == "rejected" || event.result == "transient" ||
                   event.result == "failed" || event.result == "unavailable";
  Poco::Message message("pipeline",
                        event.detail.empty() ? event.result : event.result + ": " + event.detail,
                        bad ? Poco::Message::PRIO_WARNING : Poco::Message::PRIO_INFORMATION);
  message.set("payment_id", payment_id_);
  message.set("stage", event.stage);
  const auto colon = event.stage.find(':');
  if (colon != std::string::npos) message.set("plugin", event.stage.substr(colon + 1));
  message.set("outcome", event.result);
  if (event.duration.count() > 0) {
    message.set("duration_ms",
                std::to_string(static_cast<double>(event.duration.count()) / 1000.0));
  }
  logger_.log(message);
}

void PaymentTrace::add(const std::string& stage, const std::string& result,
                       const std::string& detail, Duration took) {
  storage::PaymentEvent event{payment_id_, clock_.now(), stage, result, detail, took};
  log(event);
  pending_.push_back(std::move(event));
}

void PaymentTrace::record(const std::string& stage, const std::string& result,
                          const std::string& detail, Duration took) {
  add(stage, result, detail, took);
  write();
}

void PaymentTrace::write() {
  if (pending_.empty()) return;
  log_.recordEvents(pending_);
  pending_.clear();
}

void PaymentTrace::flush() noexcept {
  try {
    write();
  } catch (const std::exception& e) {
    Poco::Message message("pipeline",
                          std::string("could not write the payment's trace: ") + e.what(),
                          Poco::Message::PRIO_ERROR);
    message.set("payment_id", payment_id_);
    logger_.log(message);
    pending_.clear();
  }
}

}  // namespace paymentd::pipeline
