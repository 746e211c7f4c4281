// log_notifier.cpp: a notifier that writes each notice as one line to stderr,
// so the embedded default shows notices without a Slack or Kakao account.
// A subscriber's phone number appears masked (paymentd::maskPhone).
#include <cstdio>
#include <mutex>
#include <string>

#include "paymentd/plugin.h"

namespace {

class LogNotifier final : public paymentd::Notifier {
 public:
  explicit LogNotifier(const paymentd::PluginConfig& config)
      : prefix_(config.getString("prefix", "notice")) {}

  paymentd::Outcome send(const paymentd::Notification& notification) const override {
    std::string line = prefix_ + " channel=" + notification.channel +
                       " template=" + notification.template_code +
                       " payment_id=" + notification.payment_id;
    if (notification.recipient_phone)
      line += " to=" + paymentd::maskPhone(*notification.recipient_phone);
    for (const auto& [key, value] : notification.fields) line += " " + key + "=" + value;
    line += "\n";
    // One fputs per line; the lock keeps lines from interleaving across threads.
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::fputs(line.c_str(), stderr) < 0) {
      return paymentd::Outcome::transient("LOG_WRITE_FAILED", "cannot write to stderr");
    }
    return paymentd::Outcome::ok();
  }

 private:
  std::string prefix_;
  mutable std::mutex mutex_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"prefix", paymentd::ConfigKey::kOptional, "first word of each line (default: notice)"},
};

}  // namespace

PAYMENTD_PLUGIN(LogNotifier, {.name = "log",
                              .version = "1.1.0",
                              .description = "Writes each notice as one line to stderr",
                              .config_keys = kConfigKeys})
