// slack_notifier.cpp: admin notices to a Slack channel through an incoming
// webhook: POST {"text": ...} as JSON to the webhook URL, which is a secret
// (read from `webhook_url_file`, never from the YAML, never logged).
#include <string>

#include "http_post.h"
#include "paymentd/outbox.h"
#include "paymentd/plugin.h"
#include "secret_file.h"

namespace {

using paymentd::Outcome;

class SlackNotifier final : public paymentd::Notifier {
 public:
  explicit SlackNotifier(const paymentd::PluginConfig& config)
      : webhook_url_(paymentd::notifiers::readSecretFile(
            config.get("webhook_url_file").value_or(""), "webhook_url_file")),
        timeout_(config.getInt("timeout_ms", 5000)) {}

  Outcome send(const paymentd::Notification& n) const override {
    // Plain text with the fields as lines; user ids only, no personal data.
    std::string text = "*" + n.template_code + "*";
    if (!n.payment_id.empty()) text += " payment `" + n.payment_id + "`";
    if (!n.user_id.empty()) text += " user `" + n.user_id + "`";
    for (const auto& [key, value] : n.fields) text += "\n" + key + ": " + value;
    paymentd::notifiers::HttpPost post;
    post.url = webhook_url_;
    post.body = "{\"text\":" + paymentd::internal::jsonString(text) + "}";
    post.timeout = std::chrono::milliseconds(timeout_);
    return paymentd::notifiers::postJson(post, "slack");
  }

 private:
  std::string webhook_url_;
  std::int64_t timeout_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"webhook_url_file", paymentd::ConfigKey::kRequired,
     "file holding the Slack incoming webhook URL (a secret)"},
    {"timeout_ms", paymentd::ConfigKey::kOptional, "per request (default 5000)"},
};

}  // namespace

PAYMENTD_PLUGIN(SlackNotifier, {.name = "slack",
                                .version = "1.0.0",
                                .description = "Posts notices to a Slack incoming webhook",
                                .config_keys = kConfigKeys})
