#include "webhook_sender.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cmath>

#include "portone/webhook_signature.h"

namespace paymentd::sandbox {
namespace {

bool isLoopback(const std::string& host) {
  if (host == "localhost") return true;
  Poco::Net::IPAddress address;
  return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

}  // namespace

WebhookSender::WebhookSender(WebhookSenderOptions options)
    : options_(std::move(options)), thread_([this] { run(); }) {}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WebhookSender::send(const std::string& webhook_id, const std::string& payment_id,
                         const std::string& type, const std::string& body,
                         const std::vector<std::string>& urls, bool sign) {
  std::lock_guard lock(mutex_);
  for (const auto& url : urls) {
    Delivery delivery{webhook_id, payment_id, type, body, url, 0, std::chrono::steady_clock::now(),
                      0,          sign};
    if (mode_.drop_next > 0) {
      --mode_.drop_next;
      records_.push_back({webhook_id, payment_id, type, url, 0, 0, "dropped", ""});
      continue;
    }
    for (int copy = 0; copy <= mode_.duplicates; ++copy) {
      if (mode_.hold) {
        held_.push_back(delivery);
      } else {
        enqueueLocked(delivery);
      }
    }
  }
  wake_.notify_all();
}

void WebhookSender::setMode(const WebhookMode& mode) {
  std::lock_guard lock(mutex_);
  mode_ = mode;
}

void WebhookSender::setUnreachable(const std::string& payment_id, bool unreachable) {
  std::lock_guard lock(mutex_);
  if (unreachable) {
    unreachable_.insert(payment_id);
  } else {
    unreachable_.erase(payment_id);
  }
}

WebhookMode WebhookSender::mode() const {
  std::lock_guard lock(mutex_);
  return mode_;
}

int WebhookSender::release(bool reverse) {
  std::lock_guard lock(mutex_);
  if (reverse) std::reverse(held_.begin(), held_.end());
  const int count = static_cast<int>(held_.size());
  for (auto& delivery : held_) {
    delivery.due = std::chrono::steady_clock::now();
    enqueueLocked(std::move(delivery));
  }
  held_.clear();
  mode_.hold = false;
  wake_.notify_all();
  return count;
}

std::vector<DeliveryRecord> WebhookSender::deliveries() const {
  std::lock_guard lock(mutex_);
  return records_;
}

void WebhookSender::reset() {
  std::lock_guard lock(mutex_);
  queue_.clear();
  held_.clear();
  records_.clear();
  unreachable_.clear();
  mode_ = WebhookMode{};
}

void WebhookSender::enqueueLocked(Delivery delivery) {
  delivery.seq = next_seq_++;
  queue_.push_back(std::move(delivery));
}

std::chrono::milliseconds WebhookSender::retryDelay(int attempt) const {
  // PortOne: 1, 4, 16, 64, 256 minutes before retries 1..5.
  const double minutes = std::pow(4.0, attempt - 1);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(std::llround(minutes * 60'000.0 * options_.time_scale)));
}

void WebhookSender::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto next = std::min_element(queue_.begin(), queue_.end(), [](const auto& a, const auto& b) {
      return a.due != b.due ? a.due < b.due : a.seq < b.seq;
    });
    if (next->due > std::chrono::steady_clock::now()) {
      // A copy: wait_until reads its deadline again after the lock is retaken, and a send
      // meanwhile may have grown the queue and freed the element `next` points at.
      const std::chrono::steady_clock::time_point due = next->due;
      wake_.wait_until(lock, due);
      continue;
    }
    Delivery delivery = std::move(*next);
    queue_.erase(next);
    const bool unreachable = unreachable_.count(delivery.payment_id) > 0;
    lock.unlock();
    DeliveryRecord record = unreachable ? unreachableRecord(delivery) : deliver(delivery);
    lock.lock();
    const bool failed = record.outcome != "delivered";
    records_.push_back(std::move(record));
    if (failed && delivery.attempt < kMaxRetries && !stopping_) {
      ++delivery.attempt;
      delivery.due = std::chrono::steady_clock::now() + retryDelay(delivery.attempt);
      enqueueLocked(std::move(delivery));
    }
  }
}

DeliveryRecord WebhookSender::unreachableRecord(const Delivery& delivery) {
  return {delivery.webhook_id,
          delivery.payment_id,
          delivery.type,
          delivery.url,
          delivery.attempt,
          0,
          "failed",
          "unreachable (sandbox control)"};
}

DeliveryRecord WebhookSender::deliver(const Delivery& delivery) const {
  DeliveryRecord record{delivery.webhook_id,
                        delivery.payment_id,
                        delivery.type,
                        delivery.url,
                        delivery.attempt,
                        0,
                        "failed",
                        ""};
  try {
    const Poco::URI uri(delivery.url);
    // The sandbox must never send anything off this machine.
    if (uri.getScheme() != "http" || !isLoopback(uri.getHost())) {
      record.error = "only http:// loopback notice URLs are allowed";
      return record;
    }
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    const Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(options_.timeout.count()) *
                                 1000);
    session.setTimeout(timeout, timeout, timeout);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string timestamp =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(delivery.body.size()));
    if (delivery.sign) {
      request.set("webhook-id", delivery.webhook_id);
      request.set("webhook-timestamp", timestamp);
      request.set("webhook-signature",
                  portone::webhookSignatureEntry(options_.signing_key, delivery.webhook_id,
                                                 timestamp, delivery.body));
    }
    request.set("User-Agent", "portone-sandbox");
    session.sendRequest(request) << delivery.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    in.ignore(std::numeric_limits<std::streamsize>::max());
    record.status = static_cast<int>(response.getStatus());
    if (record.status >= 200 && record.status < 300) record.outcome = "delivered";
  } catch (const Poco::Exception& e) {
    record.error = e.displayText();
  }
  return record;
}

}  // namespace paymentd::sandbox
