#include "outbox/outbox_worker.h"

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include "failpoint/failpoint.h"
#include "outbox/dead_item_alert.h"
#include "paymentd/outbox.h"
#include "storage/errors.h"
#include "storage/event_outbox.h"
#include "storage/outbox_queue.h"
#include "storage/payment_log.h"
#include "storage/schedule_payload.h"

namespace paymentd::outbox {

OutboxWorker::OutboxWorker(WorkerParts parts, WorkerOptions options)
    : parts_(parts),
      options_(std::make_shared<const WorkerOptions>(std::move(options))),
      random_(std::random_device{}()),
      // A full batch suggests more are due: go again without waiting.
      loop_("paymentd.outbox", options_.current()->poll_interval,
            [this] { return runOnce() >= options_.current()->batch_size; }) {}

void OutboxWorker::apply(WorkerOptions options) {
  options.worker_id = options_.current()->worker_id;
  const auto interval = options.poll_interval;
  options_.replace(std::make_shared<const WorkerOptions>(std::move(options)));
  loop_.setInterval(interval);
}

OutboxWorker::~OutboxWorker() {
  stop();
}

double OutboxWorker::unitRandom() {
  std::lock_guard<std::mutex> lock(random_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

std::size_t OutboxWorker::runOnce() {
  storage::OutboxQueue queue(parts_.database);
  const auto options = options_.current();
  const auto records =
      queue.claim(options->worker_id, parts_.clock.now(), options->lease, options->batch_size);
  for (const auto& record : records) finish(record, attempt(record), *options);
  return records.size();
}

Attempt OutboxWorker::attempt(const storage::OutboxRecord& record) {
  try {
    if (record.item.kind == kOutboxSchedulePayment) {
      return parts_.schedules.execute(record.item.payload);
    }
    if (record.item.kind == storage::kOutboxRevokeSchedule) {
      return parts_.schedules.revoke(record.item.payload);
    }
    if (record.item.kind == kOutboxNotify) {
      Attempt sent = parts_.notices.execute(record.item, parts_.clock.now());
      if (sent.result == Attempt::Result::kDone) failpoint::hit(failpoint::kAfterNoticeSent);
      return sent;
    }
    if (record.item.kind == storage::kOutboxEvent) return parts_.events.execute(record);
    return {Attempt::Result::kDead, "unknown outbox kind " + record.item.kind};
  } catch (const std::exception& e) {
    return {Attempt::Result::kRetry, std::string("unexpected: ") + e.what()};
  }
}

void OutboxWorker::finish(const storage::OutboxRecord& record, const Attempt& attempt,
                          const WorkerOptions& options) {
  storage::OutboxQueue queue(parts_.database);
  const std::int64_t number = record.attempts + 1;
  Attempt::Result result = attempt.result;
  if (result == Attempt::Result::kRetry && number >= options.max_attempts) {
    result = Attempt::Result::kDead;
  }
  std::string detail = "item " + std::to_string(record.id) + " " + record.item.dedupe_key +
                       " attempt " + std::to_string(number) + ": " + attempt.detail;
  switch (result) {
    case Attempt::Result::kDone:
      queue.markDone(record.id);
      break;
    case Attempt::Result::kDropped:
      queue.markDone(record.id);  // nothing left to do: the moment passed
      break;
    case Attempt::Result::kRetry: {
      const auto delay = backoffDelay(options.backoff, number, unitRandom());
      queue.retryLater(record.id, parts_.clock.now() + delay, attempt.detail);
      detail += " (next in " + std::to_string(delay.count()) + " ms)";
      break;
    }
    case Attempt::Result::kDead:
      queue.markDead(record.id, attempt.detail);
      detail += " (admin alert " +
                alertDeadItem(parts_.database, record, attempt.detail, options.admin_channel,
                              parts_.clock.now()) +
                ")";
      break;
  }
  // The payment the item is about (a schedule's), else the one that set it in motion.
  std::string payment_id = paymentIdOf(record.item.payload);
  if (payment_id.empty()) payment_id = record.payment_id;
  const std::string stage = "outbox:" + record.item.kind;
  // The ids as fields, so a JSON line carries them as keys, not inside msg.
  Poco::Message line("paymentd.outbox", detail,
                     result == Attempt::Result::kDone ? Poco::Message::PRIO_INFORMATION
                                                      : Poco::Message::PRIO_WARNING);
  if (!payment_id.empty()) line.set("payment_id", payment_id);
  line.set("stage", stage);
  line.set("outcome", resultName(result));
  Poco::Logger::get("paymentd.outbox").log(line);
  if (!payment_id.empty()) {
    storage::PaymentLog(parts_.database)
        .recordEvent({payment_id, parts_.clock.now(), stage, resultName(result), detail});
  }
}

void OutboxWorker::start() {
  loop_.start();
}

void OutboxWorker::stop() {
  loop_.stop();
}

}  // namespace paymentd::outbox
