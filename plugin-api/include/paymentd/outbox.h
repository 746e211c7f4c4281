// paymentd/outbox.h: typed requests for work after the commit.
//
// A processor never calls PortOne or a messenger itself: it hands one of these
// requests to StoreWriter::schedulePayment or StoreWriter::sendNotice (API 1.2).
// The host records it in the payment's transaction and its outbox worker
// carries it out after the commit, retrying until done; a rolled-back payment
// therefore never schedules and never notifies. How the host stores the work
// is its own business.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "paymentd/payment.h"
#include "paymentd/store.h"

namespace paymentd {

inline constexpr const char* kOutboxSchedulePayment = "schedule_payment";
inline constexpr const char* kOutboxNotify = "notify";

/// Ask PortOne to charge the billing key at `time_to_pay` (its payment schedule API).
struct SchedulePaymentRequest {
  std::int64_t subscription_id = 0;
  int cycle = 0;    // 1 for the first renewal after the first payment, then 2, 3, ...
  int attempt = 1;  // retries of a failed cycle count up from 1
  std::string user_id;
  std::string plan_id;
  /// Ignored since API 1.1: the host's `recurring.payment_type` is the type
  /// every scheduled payment's webhook carries. Kept for layout; leave it empty.
  std::string payment_type;
  std::string billing_key;
  std::int64_t amount = 0;  // KRW
  std::string currency = "KRW";
  std::string order_name;
  Timestamp time_to_pay;
};

/// The first attempt at renewing subscription `subscription_id` for `cycle`,
/// due at `due`, at the plan's current monthly price: what a processor asks
/// for once a period is paid. (API 1.1)
inline SchedulePaymentRequest renewalSchedule(std::int64_t subscription_id, int cycle,
                                              const std::string& user_id,
                                              const std::string& billing_key, const Plan& plan,
                                              Timestamp due) {
  SchedulePaymentRequest next;
  next.subscription_id = subscription_id;
  next.cycle = cycle;
  next.user_id = user_id;
  next.plan_id = plan.id;
  next.billing_key = billing_key;
  next.amount = plan.price;
  next.order_name = plan.name;
  next.time_to_pay = due;
  return next;
}

/// A notice through the notifier the YAML names for `channel`.
struct NoticeRequest {
  std::string channel;  // e.g. admin_slack, alimtalk, sms
  std::string template_code;
  std::string user_id;
  std::string payment_id;
  std::map<std::string, std::string> fields;
  Timestamp send_at;  // a notice whose moment has passed by more than the host's grace is dropped
  /// Set to reach a subscriber (AlimTalk, SMS): the host hands the notifier the
  /// phone number stored with this subscription (Notification::recipient_phone).
  /// 0 for notices to operators, which carry no personal data. (API 1.1)
  std::int64_t recipient_subscription_id = 0;
};

/// The PortOne paymentId a schedule uses: derived from subscription, cycle and
/// attempt, so a repeated request can never create a second charge.
inline std::string scheduledPaymentId(std::int64_t subscription_id, int cycle, int attempt) {
  return "paymentd-sub" + std::to_string(subscription_id) + "-c" + std::to_string(cycle) + "-a" +
         std::to_string(attempt);
}

namespace internal {

inline std::string jsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char* kHex = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

inline std::int64_t epochMicros(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace internal

/// For plugins built against API 1.0/1.1, which enqueue with
/// StoreWriter::enqueueOutbox; since 1.2 call StoreWriter::schedulePayment.
inline OutboxItem toOutboxItem(const SchedulePaymentRequest& r) {
  using internal::jsonString;
  const std::string payment_id = scheduledPaymentId(r.subscription_id, r.cycle, r.attempt);
  OutboxItem item;
  item.kind = kOutboxSchedulePayment;
  item.dedupe_key = "schedule:" + payment_id;
  item.payload =
      "{\"payment_id\":" + jsonString(payment_id) +
      ",\"subscription_id\":" + std::to_string(r.subscription_id) +
      ",\"cycle\":" + std::to_string(r.cycle) + ",\"attempt\":" + std::to_string(r.attempt) +
      ",\"user_id\":" + jsonString(r.user_id) + ",\"plan_id\":" + jsonString(r.plan_id) +
      ",\"payment_type\":" + jsonString(r.payment_type) +
      ",\"billing_key\":" + jsonString(r.billing_key) + ",\"amount\":" + std::to_string(r.amount) +
      ",\"currency\":" + jsonString(r.currency) + ",\"order_name\":" + jsonString(r.order_name) +
      ",\"time_to_pay_us\":" + std::to_string(internal::epochMicros(r.time_to_pay)) + "}";
  item.due_at = Timestamp{};  // as soon as the commit is done; PortOne waits until time_to_pay
  return item;
}

/// For plugins built against API 1.0/1.1; since 1.2 call StoreWriter::sendNotice.
/// @param dedupe_key unique per notice, e.g. "notice:PAYMENT_FAILED:sub-12:c3:a2".
inline OutboxItem toOutboxItem(const NoticeRequest& r, const std::string& dedupe_key) {
  using internal::jsonString;
  std::string fields = "{";
  for (const auto& [key, value] : r.fields) {
    fields += (fields.size() > 1 ? "," : "") + jsonString(key) + ":" + jsonString(value);
  }
  fields += "}";
  OutboxItem item;
  item.kind = kOutboxNotify;
  item.dedupe_key = dedupe_key;
  item.payload =
      "{\"channel\":" + jsonString(r.channel) + ",\"template\":" + jsonString(r.template_code) +
      ",\"user_id\":" + jsonString(r.user_id) + ",\"payment_id\":" + jsonString(r.payment_id) +
      ",\"fields\":" + fields +
      (r.recipient_subscription_id > 0
           ? ",\"recipient_subscription_id\":" + std::to_string(r.recipient_subscription_id)
           : std::string()) +
      "}";
  item.due_at = r.send_at;
  return item;
}

/// What a payment id made by scheduledPaymentId() names.
struct ScheduledPaymentRef {
  std::int64_t subscription_id = 0;
  int cycle = 0;
  int attempt = 0;
};

/// The inverse of scheduledPaymentId(); nullopt for any other payment id
/// (a payment the browser made, or a foreign id).
inline std::optional<ScheduledPaymentRef> parseScheduledPaymentId(const std::string& payment_id) {
  static const std::string kPrefix = "paymentd-sub";
  if (payment_id.rfind(kPrefix, 0) != 0) return std::nullopt;
  // Reads one positive decimal number at `at`, which must be followed by `end`.
  const auto number = [&](std::size_t& at, char end) -> std::optional<std::int64_t> {
    std::int64_t value = 0;
    const std::size_t start = at;
    while (at < payment_id.size() && payment_id[at] >= '0' && payment_id[at] <= '9') {
      if (at - start >= 12) return std::nullopt;
      value = value * 10 + (payment_id[at] - '0');
      ++at;
    }
    if (at == start || value <= 0) return std::nullopt;
    if (end != '\0') {
      if (payment_id.compare(at, 2, std::string("-") + end) != 0) return std::nullopt;
      at += 2;
    } else if (at != payment_id.size()) {
      return std::nullopt;
    }
    return value;
  };
  std::size_t at = kPrefix.size();
  const auto subscription = number(at, 'c');
  if (!subscription) return std::nullopt;
  const auto cycle = number(at, 'a');
  if (!cycle) return std::nullopt;
  const auto attempt = number(at, '\0');
  if (!attempt) return std::nullopt;
  return ScheduledPaymentRef{*subscription, static_cast<int>(*cycle), static_cast<int>(*attempt)};
}

}  // namespace paymentd
