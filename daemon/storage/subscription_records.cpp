#include "storage/subscription_records.h"

#include <deque>

#include "storage/nullable_codec.h"
#include "storage/subscription_status.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

Poco::Int64 id64(std::int64_t id) {
  return static_cast<Poco::Int64>(id);
}

}  // namespace

std::vector<SubscriptionRecord> SubscriptionRecords::read(
    const std::string& where_and_after, const std::function<void(Statement&)>& bind_key) {
  std::vector<Poco::Int64> id;
  std::vector<std::string> user;
  std::vector<std::string> plan;
  std::vector<std::string> status;
  std::deque<bool> trial;
  std::vector<Poco::Nullable<std::string>> key;
  std::vector<Poco::Int64> start;
  std::vector<Poco::Int64> end;
  std::vector<Poco::Int64> failures;
  std::deque<bool> cancel_at_end;
  std::vector<Poco::Nullable<std::string>> cancel_reason;
  std::vector<Poco::Nullable<Poco::Int64>> cancelled;
  std::vector<Poco::Nullable<std::string>> digits;
  std::vector<Poco::Nullable<std::string>> level;
  std::vector<std::string> version;
  connection_.run(
      "SELECT id, user_id, plan_id, status, trial, billing_key, period_start_us, period_end_us, "
      "consecutive_failures, cancel_at_period_end, cancel_reason, cancelled_at_us, "
      "card_last_digits, level, portone_version FROM subscriptions " +
          where_and_after,
      [&](Statement& s) {
        bind_key(s);
        s, into(id), into(user), into(plan), into(status), into(trial), into(key), into(start),
            into(end), into(failures), into(cancel_at_end), into(cancel_reason), into(cancelled),
            into(digits), into(level), into(version);
      });
  std::vector<SubscriptionRecord> records;
  for (std::size_t i = 0; i < id.size(); ++i) {
    SubscriptionRecord r;
    r.id = id[i];
    r.user_id = user[i];
    r.plan_id = plan[i];
    r.status = subscriptionStatusFrom(status[i]);
    r.trial = trial[i];
    r.billing_key = fromNullable(key[i]);
    r.period_start = fromMicros(start[i]);
    r.period_end = fromMicros(end[i]);
    r.consecutive_failures = static_cast<int>(failures[i]);
    r.cancel_at_period_end = cancel_at_end[i];
    r.cancel_reason = fromNullable(cancel_reason[i]);
    if (!cancelled[i].isNull()) r.cancelled_at = fromMicros(cancelled[i].value());
    r.card_last_digits = fromNullable(digits[i]);
    r.level = fromNullable(level[i]);
    r.portone_version = portOneVersionFrom(version[i]);
    records.push_back(std::move(r));
  }
  return records;
}

std::optional<SubscriptionRecord> SubscriptionRecords::find(std::int64_t id) {
  auto found = read("WHERE id = $1", [&](Statement& s) { s, bind(id64(id)); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<SubscriptionRecord> SubscriptionRecords::lock(std::int64_t id) {
  const std::string suffix = connection_.backend() == Backend::kPostgres ? " FOR UPDATE" : "";
  auto found = read("WHERE id = $1" + suffix, [&](Statement& s) { s, bind(id64(id)); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<SubscriptionRecord> SubscriptionRecords::ofUser(const std::string& user_id) {
  return read("WHERE user_id = $1 ORDER BY id DESC", [&](Statement& s) { s, useRef(user_id); });
}

void SubscriptionRecords::setCancelAtPeriodEnd(std::int64_t id, bool cancel,
                                               const std::optional<std::string>& reason) {
  connection_.execute(
      "UPDATE subscriptions SET cancel_at_period_end = $1, cancel_reason = $2, updated_at_us = $3 "
      "WHERE id = $4",
      {cancel, reason, toMicros(clock_()), Poco::Int64{id}});
}

std::vector<std::int64_t> SubscriptionRecords::liveOnBillingKey(const std::string& billing_key) {
  std::vector<Poco::Int64> ids;
  connection_.run(
      "SELECT id FROM subscriptions WHERE billing_key = $1 AND status IN ('ACTIVE', 'PAST_DUE') "
      "ORDER BY id",
      [&](Statement& s) { s, useRef(billing_key), into(ids); });
  return {ids.begin(), ids.end()};
}

void SubscriptionRecords::cancel(std::int64_t id) {
  const Poco::Int64 now = toMicros(clock_());
  connection_.execute(
      "UPDATE subscriptions SET status = 'CANCELLED', cancel_at_period_end = FALSE, "
      "cancelled_at_us = $1, updated_at_us = $1 WHERE id = $2",
      {now, Poco::Int64{id}});
  tell(event_type::kSubscriptionCancelled, id);
}

void SubscriptionRecords::setStatus(std::int64_t id, SubscriptionStatus status) {
  connection_.execute(
      "UPDATE subscriptions SET status = $1, updated_at_us = $2 WHERE id = $3",
      {std::string(subscriptionStatusName(status)), toMicros(clock_()), Poco::Int64{id}});
  if (status == SubscriptionStatus::kPastDue) tell(event_type::kSubscriptionPastDue, id);
  if (status == SubscriptionStatus::kFailed) tell(event_type::kSubscriptionFailed, id);
  if (status == SubscriptionStatus::kCancelled) tell(event_type::kSubscriptionCancelled, id);
}

void SubscriptionRecords::changeCard(std::int64_t id, const std::string& billing_key,
                                     const std::optional<std::string>& card_last_digits) {
  connection_.execute(
      "UPDATE subscriptions SET billing_key = $1, card_last_digits = $2, updated_at_us = $3, "
      "portone_version = 'V2' WHERE id = $4",
      {billing_key, card_last_digits, toMicros(clock_()), Poco::Int64{id}});
  tell(event_type::kSubscriptionCardChanged, id);
}

void SubscriptionRecords::tell(const char* type, std::int64_t id) {
  if (!events_.enabled()) return;
  if (const auto found = find(id)) events_.subscriptionChanged(type, *found, std::nullopt);
}

std::optional<std::int64_t> SubscriptionRecords::findImported(const std::string& user_id,
                                                              const std::string& plan_id,
                                                              const std::string& customer_uid) {
  Poco::Int64 id = 0;
  const std::size_t rows = connection_.run(
      "SELECT id FROM subscriptions WHERE user_id = $1 AND plan_id = $2 AND billing_key = $3 AND "
      "portone_version = 'V1' ORDER BY id LIMIT 1",
      [&](Statement& s) { s, useRef(user_id), useRef(plan_id), useRef(customer_uid), into(id); });
  if (rows == 0) return std::nullopt;
  return static_cast<std::int64_t>(id);
}

void SubscriptionRecords::setPortOneV1(std::int64_t id) {
  connection_.execute(
      "UPDATE subscriptions SET portone_version = 'V1', updated_at_us = $1 WHERE id = $2",
      {toMicros(clock_()), Poco::Int64{id}});
}

std::int64_t SubscriptionRecords::revokeTicketsAfter(std::int64_t id, Timestamp after) {
  return static_cast<std::int64_t>(connection_.execute(
      "UPDATE tickets SET revoked_at_us = $1 WHERE subscription_id = $2 AND period_start_us > $3 "
      "AND revoked_at_us IS NULL",
      {toMicros(clock_()), Poco::Int64{id}, toMicros(after)}));
}

std::int64_t SubscriptionRecords::revokeTicketsOf(const std::string& payment_id) {
  return static_cast<std::int64_t>(connection_.execute(
      "UPDATE tickets SET revoked_at_us = $1 WHERE payment_id = $2 AND revoked_at_us IS NULL",
      {toMicros(clock_()), payment_id}));
}

bool SubscriptionRecords::paysPeriodAfter(const std::string& payment_id, Timestamp now) {
  Poco::Int64 count = 0;
  connection_.run("SELECT COUNT(*) FROM tickets WHERE payment_id = $1 AND period_end_us > $2",
                  [&](Statement& s) { s, useRef(payment_id), bind(toMicros(now)), into(count); });
  return count > 0;
}

std::optional<Timestamp> SubscriptionRecords::failedAt(std::int64_t id) {
  Poco::Nullable<Poco::Int64> at;
  connection_.run(
      "SELECT MAX(created_at_us) FROM billing_failures WHERE subscription_id = $1 AND outcome = "
      "'FAILED'",
      [&](Statement& s) { s, bind(id64(id)), into(at); });
  if (at.isNull()) return std::nullopt;
  return fromMicros(at.value());
}

std::vector<std::int64_t> SubscriptionRecords::dueCancellations(Timestamp now, std::size_t limit) {
  std::vector<Poco::Int64> ids;
  connection_.run(
      "SELECT id FROM subscriptions WHERE cancel_at_period_end AND status IN ('ACTIVE', "
      "'PAST_DUE') AND period_end_us <= $1 ORDER BY period_end_us LIMIT $2",
      [&](Statement& s) {
        s, bind(toMicros(now)), bind(static_cast<Poco::Int64>(limit)), into(ids);
      });
  return {ids.begin(), ids.end()};
}

void SubscriptionRecords::record(const SubscriptionEvent& e) {
  connection_.execute(
      "INSERT INTO subscription_events (subscription_id, at_us, action, actor, reason, detail) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {Poco::Int64{e.subscription_id}, toMicros(e.at), e.action, e.actor, e.reason, e.detail});
}

std::vector<SubscriptionEvent> SubscriptionRecords::events(std::int64_t id) {
  std::vector<Poco::Int64> at;
  std::vector<std::string> action;
  std::vector<std::string> actor;
  std::vector<std::string> reason;
  std::vector<std::string> detail;
  connection_.run(
      "SELECT at_us, action, actor, reason, detail FROM subscription_events WHERE "
      "subscription_id = $1 ORDER BY id",
      [&](Statement& s) {
        s, bind(id64(id)), into(at), into(action), into(actor), into(reason), into(detail);
      });
  std::vector<SubscriptionEvent> events;
  for (std::size_t i = 0; i < at.size(); ++i) {
    events.push_back({id, fromMicros(at[i]), action[i], actor[i], reason[i], detail[i]});
  }
  return events;
}

}  // namespace paymentd::storage
