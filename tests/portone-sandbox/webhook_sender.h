// portone-sandbox/webhook_sender.h: delivers signed webhooks like PortOne does.
//
// One background thread sends each webhook to its URL (loopback http only),
// signed per Standard Webhooks with a fresh webhook-timestamp on every attempt.
// A non-2xx answer or no answer is redelivered on PortOne's schedule
// (1, 4, 16, 64, 256 minutes, no jitter) multiplied by `time_scale`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sandbox_state.h"

namespace paymentd::sandbox {

struct WebhookSenderOptions {
  std::string signing_key;  // decoded HMAC key
  double time_scale = 1.0;  // 0.001: one minute of PortOne's schedule is 60 ms
  std::chrono::milliseconds timeout{5000};
};

struct DeliveryRecord {
  std::string webhook_id;
  std::string payment_id;
  std::string type;
  std::string url;
  int attempt = 0;      // 0 = first delivery
  int status = 0;       // HTTP status; 0 when no answer
  std::string outcome;  // "delivered", "failed", "dropped"
  std::string error;
};

class WebhookSender {
 public:
  static constexpr int kMaxRetries = 5;

  explicit WebhookSender(WebhookSenderOptions options);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  /// Queues one webhook per URL, subject to the current mode. `sign`: the Standard
  /// Webhooks headers of V2's webhooks; V1's (Iamport) carry no signature.
  void send(const std::string& webhook_id, const std::string& payment_id, const std::string& type,
            const std::string& body, const std::vector<std::string>& urls, bool sign = true);
  void setMode(const WebhookMode& mode);
  /// While set, every delivery about `payment_id` (first sends, retries, resends) fails as
  /// if its URL could not be reached, and is retried on PortOne's schedule.
  void setUnreachable(const std::string& payment_id, bool unreachable);
  WebhookMode mode() const;
  /// Sends every held webhook now, in arrival order or reversed.
  int release(bool reverse);
  std::vector<DeliveryRecord> deliveries() const;
  /// Forgets queued, held and recorded webhooks and resets the mode.
  void reset();

 private:
  struct Delivery {
    std::string webhook_id;
    std::string payment_id;
    std::string type;
    std::string body;
    std::string url;
    int attempt = 0;
    std::chrono::steady_clock::time_point due;
    std::uint64_t seq = 0;
    bool sign = true;
  };

  void run();
  DeliveryRecord deliver(const Delivery& delivery) const;
  static DeliveryRecord unreachableRecord(const Delivery& delivery);
  std::chrono::milliseconds retryDelay(int attempt) const;
  void enqueueLocked(Delivery delivery);

  WebhookSenderOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Delivery> queue_;
  std::vector<Delivery> held_;
  std::vector<DeliveryRecord> records_;
  WebhookMode mode_;
  std::set<std::string> unreachable_;  // payment ids
  std::uint64_t next_seq_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace paymentd::sandbox
