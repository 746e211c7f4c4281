#include "outbox/event_executor.h"

#include <Poco/URI.h>

#include "portone/api_error.h"
#include "portone/secret_file.h"
#include "portone/webhook_signature.h"

namespace paymentd::outbox {

// A target made ready to post to: the request line and its kept connections.
struct EventDelivery {
  EventTarget target;
  std::string path_and_query;
  std::shared_ptr<portone::ApiTransport> transport;
};

namespace {

// The receiver's answer, for the attempt's detail: its status and the start of its body.
portone::ApiError receiverRefusal(int status, const std::string& body) {
  constexpr std::size_t kShown = 120;
  return portone::ApiError(status, "", body.substr(0, kShown));
}

std::shared_ptr<const EventDelivery> deliveryOf(std::optional<EventTarget> target,
                                                const Clock& clock) {
  if (!target) return nullptr;
  Poco::URI uri;
  try {
    uri = Poco::URI(target->url);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("events.url is not a URL: " + e.displayText());
  }
  portone::ApiTransportOptions options;
  options.api_base = uri.getScheme() + "://" + uri.getAuthority();
  options.connect_timeout = target->connect_timeout;
  options.read_timeout = target->read_timeout;
  // One attempt per outbox run (a POST without Idempotency-Key is never resent by
  // the transport): the outbox's backoff spaces the retries.
  options.request_deadline = target->connect_timeout + target->read_timeout;
  options.idle_connections = 2;
  options.error_body_reader = receiverRefusal;
  options.peer = "the events receiver";
  auto delivery = std::make_shared<EventDelivery>();
  delivery->path_and_query = uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery();
  try {
    delivery->transport = std::make_shared<portone::ApiTransport>(std::move(options), clock);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("events.url: ") + e.what());
  }
  delivery->target = std::move(*target);
  return delivery;
}

}  // namespace

std::optional<EventTarget> readEventTarget(const std::optional<config::EventsConfig>& events,
                                           const Clock& clock, config::ConfigProblems& problems) {
  if (!events) return std::nullopt;
  EventTarget target;
  target.url = events->url;
  target.connect_timeout = std::chrono::milliseconds(events->connect_timeout_ms);
  target.read_timeout = std::chrono::milliseconds(events->read_timeout_ms);
  bool readable = true;
  try {
    const auto key = portone::decodeWebhookSecret(portone::readSecretFile(events->secret_file));
    if (key) {
      target.key = *key;
    } else {
      problems.add(events->secret_file_mark,
                   "events.secret_file: " + events->secret_file +
                       " does not hold a secret (whsec_ followed by Base64)");
      readable = false;
    }
  } catch (const portone::SecretFileError& e) {
    problems.add(events->secret_file_mark, std::string("events.secret_file: ") + e.what());
    readable = false;
  }
  try {
    deliveryOf(target, clock);
  } catch (const std::invalid_argument& e) {
    problems.add(events->url_mark, e.what());
    readable = false;
  }
  if (!readable) return std::nullopt;
  return target;
}

EventExecutor::EventExecutor(const Clock& clock, std::optional<EventTarget> target)
    : clock_(clock), delivery_(deliveryOf(std::move(target), clock)) {}

void EventExecutor::apply(std::optional<EventTarget> target) {
  delivery_.replace(deliveryOf(std::move(target), clock_));
}

bool EventExecutor::uses(const std::optional<EventTarget>& target) const {
  const auto delivery = delivery_.current();
  if (!delivery || !target) return !delivery && !target;
  return delivery->target == *target;
}

Attempt EventExecutor::execute(const storage::OutboxRecord& record) const {
  const auto delivery = delivery_.current();
  if (!delivery) return {Attempt::Result::kDropped, "events are not configured (events.url)"};
  const std::string id = std::to_string(record.id);
  const std::string timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count());
  const std::string& body = record.item.payload;
  portone::ApiRequest request;
  request.method = "POST";
  request.path_and_query = delivery->path_and_query;
  request.body = body;
  request.authorization = "";  // signed instead
  request.headers = {{"webhook-id", id},
                     {"webhook-timestamp", timestamp},
                     {"webhook-signature",
                      portone::webhookSignatureEntry(delivery->target.key, id, timestamp, body)}};
  try {
    delivery->transport->call(request);
    return {Attempt::Result::kDone, "event " + id + " delivered"};
  } catch (const portone::ApiError& e) {
    return {Attempt::Result::kRetry, "the events receiver answered " +
                                         std::to_string(e.httpStatus()) +
                                         (e.apiMessage().empty() ? "" : ": " + e.apiMessage())};
  } catch (const portone::TransientError& e) {
    return {Attempt::Result::kRetry, e.what()};
  }
}

}  // namespace paymentd::outbox
