#include "storage/sql_store.h"

#include <Poco/Nullable.h>

#include <string>

#include "storage/notice_payload.h"
#include "storage/nullable_codec.h"
#include "storage/outbox_insert.h"
#include "storage/schedule_payload.h"
#include "storage/subscription_status.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

constexpr const char* kSubscriptionColumns =
    "SELECT id, user_id, plan_id, status, trial, billing_key, period_start_us, period_end_us, "
    "consecutive_failures, level FROM subscriptions ";

// Runs `work`, turning storage exceptions into the Outcome a plugin gets.
template <typename Work>
auto guarded(Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const Error& e) {
    return outcomeOf(e);
  }
}

}  // namespace

Outcome outcomeOf(const Error& error) {
  if (dynamic_cast<const Duplicate*>(&error) != nullptr) {
    return Outcome::rejected(kDuplicateCode, error.what());
  }
  if (dynamic_cast<const Invalid*>(&error) != nullptr) {
    return Outcome::rejected("STORE_INVALID", error.what());
  }
  if (dynamic_cast<const Transient*>(&error) != nullptr) {
    return Outcome::transient("STORAGE_UNAVAILABLE", error.what());
  }
  // Unknown driver errors are not proof the payment can never succeed: no refund.
  return Outcome::transient("STORAGE_ERROR", error.what());
}

Result<std::optional<Plan>> SqlStore::plan(const std::string& plan_id) const {
  return guarded([&]() -> Result<std::optional<Plan>> {
    Plan plan;
    Poco::Int64 months = 0;
    Poco::Int64 lessons = 0;
    const std::size_t rows = connection_.run(
        "SELECT id, name, price, months, lessons_per_month, trial FROM plans WHERE id = $1",
        [&](Statement& s) {
          s, useRef(plan_id), into(plan.id), into(plan.name), into(plan.price), into(months),
              into(lessons), into(plan.trial);
        });
    if (rows == 0) return std::optional<Plan>();
    plan.months = static_cast<int>(months);
    plan.lessons_per_month = static_cast<int>(lessons);
    return std::optional<Plan>(std::move(plan));
  });
}

std::optional<Subscription> SqlStore::readSubscription(
    const std::string& where, const std::function<void(Poco::Data::Statement&)>& bind_keys) const {
  Subscription sub;
  std::string status;
  Poco::Nullable<std::string> billing_key;
  Poco::Nullable<std::string> level;
  Poco::Int64 start = 0;
  Poco::Int64 end = 0;
  Poco::Int64 failures = 0;
  const std::size_t rows = connection_.run(kSubscriptionColumns + where, [&](Statement& s) {
    bind_keys(s);
    s, into(sub.id), into(sub.user_id), into(sub.plan_id), into(status), into(sub.trial),
        into(billing_key), into(start), into(end), into(failures), into(level);
  });
  if (rows == 0) return std::nullopt;
  sub.status = subscriptionStatusFrom(status);
  sub.billing_key = fromNullable(billing_key);
  sub.level = fromNullable(level);
  sub.period_start = fromMicros(start);
  sub.period_end = fromMicros(end);
  sub.consecutive_failures = static_cast<int>(failures);
  return sub;
}

Result<std::optional<Subscription>> SqlStore::subscription(std::int64_t subscription_id) const {
  return guarded([&]() -> Result<std::optional<Subscription>> {
    return readSubscription(
        "WHERE id = $1", [&](Statement& s) { s, bind(static_cast<Poco::Int64>(subscription_id)); });
  });
}

Result<std::optional<Subscription>> SqlStore::currentSubscription(
    const std::string& user_id, const std::string& plan_id) const {
  return guarded([&]() -> Result<std::optional<Subscription>> {
    return readSubscription(
        "WHERE user_id = $1 AND plan_id = $2 AND status IN ('ACTIVE', 'PAST_DUE')",
        [&](Statement& s) { s, useRef(user_id), useRef(plan_id); });
  });
}

Result<std::optional<Coupon>> SqlStore::coupon(const std::string& coupon_id) const {
  return guarded([&]() -> Result<std::optional<Coupon>> {
    Coupon coupon;
    Poco::Nullable<std::string> used_by;
    Poco::Nullable<Poco::Int64> expires;
    const std::size_t rows = connection_.run(
        "SELECT id, user_id, discount, used_by_payment_id, expires_at_us FROM coupons WHERE id = "
        "$1",
        [&](Statement& s) {
          s, useRef(coupon_id), into(coupon.id), into(coupon.user_id), into(coupon.discount),
              into(used_by), into(expires);
        });
    if (rows == 0) return std::optional<Coupon>();
    coupon.used_by_payment_id = fromNullable(used_by);
    if (!expires.isNull()) coupon.expires_at = fromMicros(expires.value());
    return std::optional<Coupon>(std::move(coupon));
  });
}

Result<std::optional<LevelTest>> SqlStore::levelTest(const std::string& user_id) const {
  return guarded([&]() -> Result<std::optional<LevelTest>> {
    LevelTest test;
    Poco::Int64 taken = 0;
    const std::size_t rows = connection_.run(
        "SELECT user_id, level, taken_at_us FROM level_tests WHERE user_id = $1 "
        "ORDER BY taken_at_us DESC, id DESC LIMIT 1",
        [&](Statement& s) {
          s, useRef(user_id), into(test.user_id), into(test.level), into(taken);
        });
    if (rows == 0) return std::optional<LevelTest>();
    test.taken_at = fromMicros(taken);
    return std::optional<LevelTest>(std::move(test));
  });
}

Result<bool> SqlStore::hadTrial(const std::string& user_id) const {
  return guarded([&]() -> Result<bool> {
    Poco::Int64 count = 0;
    connection_.run("SELECT COUNT(*) FROM subscriptions WHERE user_id = $1 AND trial",
                    [&](Statement& s) { s, useRef(user_id), into(count); });
    return count > 0;
  });
}

Result<bool> SqlStore::isFulfilled(const std::string& payment_id) const {
  return guarded([&]() -> Result<bool> {
    Poco::Int64 count = 0;
    connection_.run("SELECT COUNT(*) FROM payments WHERE id = $1",
                    [&](Statement& s) { s, useRef(payment_id), into(count); });
    return count > 0;
  });
}

Result<std::int64_t> SqlStore::createSubscription(const NewSubscription& sub) {
  return guarded([&]() -> Result<std::int64_t> {
    Poco::Int64 id = 0;
    const Poco::Int64 now = toMicros(clock_());
    connection_.run(
        "INSERT INTO subscriptions (user_id, plan_id, status, trial, billing_key, period_start_us, "
        "period_end_us, consecutive_failures, level, recipient_phone, created_at_us, "
        "updated_at_us) VALUES ($1, $2, 'ACTIVE', $3, $4, $5, $6, 0, $7, $8, $9, $9) RETURNING id",
        [&](Statement& s) {
          s, useRef(sub.user_id), useRef(sub.plan_id), bind(sub.trial),
              bind(toNullable(sub.billing_key)), bind(toMicros(sub.period_start)),
              bind(toMicros(sub.period_end)), bind(toNullable(sub.level)),
              bind(toNullable(payer_phone_)), bind(now), into(id);
        });
    paid_subscription_ = static_cast<std::int64_t>(id);
    Subscription created;
    created.id = static_cast<std::int64_t>(id);
    created.user_id = sub.user_id;
    created.plan_id = sub.plan_id;
    events_.subscriptionChanged(event_type::kSubscriptionCreated, created, paymentId());
    return static_cast<std::int64_t>(id);
  });
}

Outcome SqlStore::updateSubscription(const SubscriptionUpdate& update) {
  return guarded([&]() -> Outcome {
    // Read only when events are told: what changed is told from the row before.
    std::optional<Subscription> before;
    if (events_.enabled()) {
      before = readSubscription("WHERE id = $1", [&](Statement& s) {
        s, bind(static_cast<Poco::Int64>(update.subscription_id));
      });
    }
    std::string sql = "UPDATE subscriptions SET updated_at_us = $1";
    int next = 2;
    auto set = [&](const char* column) {
      sql += std::string(", ") + column + " = $" + std::to_string(next++);
    };
    if (update.status) set("status");
    if (update.period_end) set("period_end_us");
    if (update.consecutive_failures) set("consecutive_failures");
    if (update.billing_key) set("billing_key");
    if (update.level) set("level");
    if (payer_phone_) set("recipient_phone");
    sql += " WHERE id = $" + std::to_string(next);
    const std::size_t rows = connection_.run(sql, [&](Statement& s) {
      s, bind(toMicros(clock_()));
      if (update.status) s, bind(std::string(subscriptionStatusName(*update.status)));
      if (update.period_end) s, bind(toMicros(*update.period_end));
      if (update.consecutive_failures)
        s, bind(static_cast<Poco::Int64>(*update.consecutive_failures));
      if (update.billing_key) s, useRef(*update.billing_key);
      if (update.level) s, useRef(*update.level);
      if (payer_phone_) s, useRef(*payer_phone_);
      s, bind(static_cast<Poco::Int64>(update.subscription_id));
    });
    if (rows == 0) {
      return Outcome::rejected("SUBSCRIPTION_NOT_FOUND",
                               "no subscription " + std::to_string(update.subscription_id));
    }
    paid_subscription_ = update.subscription_id;
    if (before) {
      for (const char* type : eventsOfUpdate(*before, update)) {
        events_.subscriptionChanged(type, *before, paymentId());
      }
    }
    return Outcome::ok();
  });
}

Result<std::int64_t> SqlStore::issueTickets(const std::vector<NewTicket>& tickets) {
  return guarded([&]() -> Result<std::int64_t> {
    if (tickets.empty()) return std::int64_t{0};
    // One multi-row INSERT: one statement for N tickets (a vector bind would
    // execute once per row on PostgreSQL).
    constexpr std::size_t kColumns = 6;
    constexpr std::size_t kMaxTickets = 1000;  // PostgreSQL takes at most 65535 parameters
    if (tickets.size() > kMaxTickets) {
      return Outcome::rejected("TOO_MANY_TICKETS", std::to_string(tickets.size()) +
                                                       " tickets in one call; at most 1000");
    }
    std::string sql =
        "INSERT INTO tickets (subscription_id, payment_id, period_start_us, period_end_us, "
        "lessons, created_at_us) VALUES ";
    for (std::size_t row = 0; row < tickets.size(); ++row) {
      sql += row == 0 ? "(" : ", (";
      for (std::size_t col = 0; col < kColumns; ++col) {
        sql += (col == 0 ? "$" : ", $") + std::to_string(row * kColumns + col + 1);
      }
      sql += ")";
    }
    const Poco::Int64 now = toMicros(clock_());
    std::vector<Param> params;
    params.reserve(tickets.size() * kColumns);
    for (const NewTicket& ticket : tickets) {
      params.insert(params.end(), {Poco::Int64{ticket.subscription_id}, ticket.payment_id,
                                   toMicros(ticket.period_start), toMicros(ticket.period_end),
                                   Poco::Int64{ticket.lessons}, now});
    }
    const std::size_t rows = connection_.execute(sql, params);
    return static_cast<std::int64_t>(rows);
  });
}

Result<std::int64_t> SqlStore::reserveLesson(const NewLesson& lesson) {
  return guarded([&]() -> Result<std::int64_t> {
    Poco::Int64 id = 0;
    Poco::Nullable<Poco::Int64> starts;
    if (lesson.starts_at) starts = toMicros(*lesson.starts_at);
    connection_.run(
        "INSERT INTO lessons (subscription_id, user_id, kind, starts_at_us, status, created_at_us) "
        "VALUES ($1, $2, $3, $4, 'RESERVED', $5) RETURNING id",
        [&](Statement& s) {
          s, bind(static_cast<Poco::Int64>(lesson.subscription_id)), useRef(lesson.user_id),
              useRef(lesson.kind), bind(starts), bind(toMicros(clock_())), into(id);
        });
    return static_cast<std::int64_t>(id);
  });
}

Outcome SqlStore::useCoupon(const std::string& coupon_id, const std::string& payment_id) {
  return guarded([&]() -> Outcome {
    // The WHERE clause is the guard: on PostgreSQL a concurrent user of the
    // same coupon waits for this row and then matches nothing.
    const std::size_t rows = connection_.run(
        "UPDATE coupons SET used_by_payment_id = $1, used_at_us = $2 "
        "WHERE id = $3 AND used_by_payment_id IS NULL",
        [&](Statement& s) { s, useRef(payment_id), bind(toMicros(clock_())), useRef(coupon_id); });
    if (rows == 1) return Outcome::ok();
    Poco::Nullable<std::string> used_by;
    const std::size_t found =
        connection_.run("SELECT used_by_payment_id FROM coupons WHERE id = $1",
                        [&](Statement& s) { s, useRef(coupon_id), into(used_by); });
    if (found == 0) return Outcome::rejected("COUPON_NOT_FOUND", "no coupon " + coupon_id);
    if (!used_by.isNull() && used_by.value() == payment_id) return Outcome::ok();
    return Outcome::rejected(kDuplicateCode,
                             "coupon " + coupon_id + " was used by another payment");
  });
}

std::optional<std::string> SqlStore::paymentId() const {
  if (payment_id_.empty()) return std::nullopt;
  return payment_id_;
}

void SqlStore::insertOutbox(const OutboxItem& item) {
  insertOutboxItem(connection_, item, paymentId(), clock_());
}

Outcome SqlStore::enqueueOutbox(const OutboxItem& item) {
  if (item.kind == kOutboxSchedulePayment) {
    // A plugin built before API 1.2: its request, recorded as schedulePayment() does.
    SchedulePaymentRequest request;
    try {
      request = parseSchedulePayload(item.payload);
    } catch (const std::invalid_argument& e) {
      return Outcome::rejected("STORE_INVALID",
                               std::string("schedule_payment payload: ") + e.what());
    }
    return schedulePayment(request);
  }
  return guarded([&]() -> Outcome {
    insertOutbox(item);
    return Outcome::ok();
  });
}

Outcome SqlStore::schedulePayment(const SchedulePaymentRequest& request) {
  return guarded([&]() -> Outcome {
    // A repeated request changes nothing, not even which payment comes next.
    if (!ledger_.record(request)) return Outcome::ok();
    const std::string payment_id =
        scheduledPaymentId(request.subscription_id, request.cycle, request.attempt);
    // Due at once: PortOne itself waits until time_to_pay.
    insertOutbox({kOutboxSchedulePayment, scheduleDedupeKey(payment_id),
                  schedulePayload(payment_id), Timestamp{}});
    noteNextPayment(request);
    return Outcome::ok();
  });
}

void SqlStore::enqueueRevocation(const std::string& payment_id) {
  insertOutbox({kOutboxRevokeSchedule, revokeDedupeKey(payment_id), schedulePayload(payment_id),
                Timestamp{}});
}

Outcome SqlStore::sendNotice(const NoticeRequest& notice, const std::string& dedupe_key) {
  return guarded([&]() -> Outcome {
    insertOutbox({kOutboxNotify, dedupe_key, noticePayload(notice), notice.send_at});
    return Outcome::ok();
  });
}

void SqlStore::noteNextPayment(const SchedulePaymentRequest& schedule) {
  const std::string next_id =
      scheduledPaymentId(schedule.subscription_id, schedule.cycle, schedule.attempt);
  connection_.run(
      "UPDATE subscriptions SET next_payment_id = $1, next_payment_due_us = $2 WHERE id = $3",
      [&](Statement& s) {
        s, useRef(next_id), bind(toMicros(schedule.time_to_pay)),
            bind(static_cast<Poco::Int64>(schedule.subscription_id));
      });
}

}  // namespace paymentd::storage
