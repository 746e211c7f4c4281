// solapi_notifier.cpp: Kakao AlimTalk or SMS through Solapi's message API
// (POST {api_base}/messages/v4/send, HMAC-SHA256 API-key authorization).
// One instance serves one channel: `kind: alimtalk` sends the template id the
// config maps the notice's template to, with its fields as #{variables};
// `kind: sms` sends the configured text with its #{variables} filled in. The
// API key and secret come from files; the recipient is the notice's
// recipient_phone, which the host fills for notices to a subscriber. The
// plugin logs nothing, so neither secrets nor phone numbers reach a log.
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

#include "http_post.h"
#include "paymentd/outbox.h"
#include "paymentd/plugin.h"
#include "secret_file.h"
#include "solapi_auth.h"

namespace {

using paymentd::Outcome;
using paymentd::internal::jsonString;

// "KEY=VALUE, KEY=VALUE" from one config value.
std::map<std::string, std::string> pairs(const paymentd::PluginConfig& config,
                                         const std::string& key) {
  std::map<std::string, std::string> out;
  for (const auto& item : config.getList(key, {})) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw std::invalid_argument("config key '" + key + "': '" + item + "' is not NAME=VALUE");
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

// `text` with each #{key} replaced by the notice's field of that name.
std::string filled(std::string text, const std::map<std::string, std::string>& fields) {
  for (const auto& [key, value] : fields) {
    const std::string token = "#{" + key + "}";
    for (auto at = text.find(token); at != std::string::npos;
         at = text.find(token, at + value.size())) {
      text.replace(at, token.size(), value);
    }
  }
  return text;
}

std::string isoNow() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{now - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<long>(time.hours().count()),
                static_cast<long>(time.minutes().count()),
                static_cast<long>(time.seconds().count()));
  return text;
}

std::string randomSalt() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string salt;
  for (int i = 0; i < 32; ++i) salt += kHex[random() % 16];
  return salt;
}

class SolapiNotifier final : public paymentd::Notifier {
 public:
  explicit SolapiNotifier(const paymentd::PluginConfig& config)
      : api_base_(config.getString("api_base", "https://api.solapi.com")),
        api_key_(paymentd::notifiers::readSecretFile(config.get("api_key_file").value_or(""),
                                                     "api_key_file")),
        api_secret_(paymentd::notifiers::readSecretFile(config.get("api_secret_file").value_or(""),
                                                        "api_secret_file")),
        sender_(config.getString("sender", "")),
        kind_(config.getString("kind", "alimtalk")),
        pf_id_(config.getString("pf_id", "")),
        templates_(pairs(config, "templates")),
        texts_(pairs(config, "texts")) {
    if (kind_ != "alimtalk" && kind_ != "sms") {
      throw std::invalid_argument("config key 'kind' must be alimtalk or sms");
    }
    if (kind_ == "alimtalk" && pf_id_.empty()) {
      throw std::invalid_argument("config key 'pf_id' is required for alimtalk");
    }
  }

  Outcome send(const paymentd::Notification& n) const override {
    if (!n.recipient_phone || n.recipient_phone->empty()) {
      return Outcome::rejected("NO_RECIPIENT", "no phone number is stored for this subscriber");
    }
    std::string message =
        "{\"to\":" + jsonString(*n.recipient_phone) + ",\"from\":" + jsonString(sender_);
    if (kind_ == "alimtalk") {
      const auto id = templates_.find(n.template_code);
      if (id == templates_.end()) {
        return Outcome::rejected("NO_TEMPLATE", "no AlimTalk template for " + n.template_code);
      }
      std::string variables = "{";
      for (const auto& [key, value] : n.fields) {
        variables += (variables.size() > 1 ? "," : "") + jsonString("#{" + key + "}") + ":" +
                     jsonString(value);
      }
      variables += "}";
      message += ",\"type\":\"ATA\",\"kakaoOptions\":{\"pfId\":" + jsonString(pf_id_) +
                 ",\"templateId\":" + jsonString(id->second) + ",\"variables\":" + variables + "}}";
    } else {
      const auto text = texts_.find(n.template_code);
      if (text == texts_.end()) {
        return Outcome::rejected("NO_TEMPLATE", "no SMS text for " + n.template_code);
      }
      message += ",\"type\":\"SMS\",\"text\":" + jsonString(filled(text->second, n.fields)) + "}";
    }
    paymentd::notifiers::HttpPost post;
    post.url = api_base_ + "/messages/v4/send";
    post.body = "{\"message\":" + message + "}";
    post.headers = {{"Authorization", paymentd::notifiers::solapiAuthorization(
                                          api_key_, api_secret_, isoNow(), randomSalt())}};
    return paymentd::notifiers::postJson(post, "solapi");
  }

 private:
  std::string api_base_;
  std::string api_key_;
  std::string api_secret_;
  std::string sender_;
  std::string kind_;
  std::string pf_id_;
  std::map<std::string, std::string> templates_;
  std::map<std::string, std::string> texts_;
};

constexpr paymentd::ConfigKey kConfigKeys[] = {
    {"api_key_file", paymentd::ConfigKey::kRequired, "file holding the Solapi API key"},
    {"api_secret_file", paymentd::ConfigKey::kRequired, "file holding the Solapi API secret"},
    {"sender", paymentd::ConfigKey::kRequired, "the registered sender number"},
    {"kind", paymentd::ConfigKey::kOptional, "alimtalk (default) or sms"},
    {"pf_id", paymentd::ConfigKey::kOptional, "the Kakao channel's pfId (alimtalk)"},
    {"templates", paymentd::ConfigKey::kOptional,
     "alimtalk: TEMPLATE_CODE=templateId, ... (e.g. PAYMENT_FAILED_RETRY=KA01TP...)"},
    {"texts", paymentd::ConfigKey::kOptional, "sms: TEMPLATE_CODE=text, ... (no commas in text)"},
    {"api_base", paymentd::ConfigKey::kOptional, "default https://api.solapi.com"},
};

}  // namespace

PAYMENTD_PLUGIN(SolapiNotifier, {.name = "solapi",
                                 .version = "1.1.0",
                                 .description = "Kakao AlimTalk or SMS through Solapi",
                                 .config_keys = kConfigKeys})
