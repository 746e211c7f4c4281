#include "storage/unsettled_webhooks.h"

#include "storage/connection.h"
#include "storage/nullable_codec.h"
#include "storage/time_codec.h"

namespace paymentd::storage {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::useRef;

void rememberUnsettledWebhook(Database& database, const UnsettledWebhook& webhook) {
  database.withConnection(
      [&](Connection& connection) {
        const Poco::Int64 now = toMicros(database.now());
        connection.run(
            "INSERT INTO unsettled_webhooks (payment_id, event, user_id, subscribe_id, "
            "payment_type, coupon_id, answer, first_seen_us, last_seen_us) VALUES ($1, $2, $3, "
            "$4, $5, $6, $7, $8, $8) ON CONFLICT (payment_id) DO UPDATE SET answer = "
            "excluded.answer, last_seen_us = excluded.last_seen_us",
            [&](Poco::Data::Statement& s) {
              s, useRef(webhook.payment_id), useRef(webhook.event),
                  bind(toNullable(webhook.claims.user_id)),
                  bind(toNullable(webhook.claims.subscribe_id)),
                  bind(toNullable(webhook.claims.payment_type)),
                  bind(toNullable(webhook.claims.coupon_id)), useRef(webhook.answer), bind(now);
            });
      },
      true);
}

void forgetUnsettledWebhook(Database& database, const std::string& payment_id) {
  database.withConnection(
      [&](Connection& connection) {
        connection.run("DELETE FROM unsettled_webhooks WHERE payment_id = $1",
                       [&](Poco::Data::Statement& s) { s, useRef(payment_id); });
      },
      true);
}

std::vector<UnsettledWebhook> unsettledWebhooks(Database& database, Timestamp before,
                                                Timestamp since, std::size_t limit) {
  return database.withConnection(
      [&](Connection& connection) {
        std::vector<std::string> id;
        std::vector<std::string> event;
        std::vector<Poco::Nullable<std::string>> user;
        std::vector<Poco::Nullable<std::string>> plan;
        std::vector<Poco::Nullable<std::string>> type;
        std::vector<Poco::Nullable<std::string>> coupon;
        std::vector<std::string> answer;
        connection.run(
            "SELECT w.payment_id, w.event, w.user_id, w.subscribe_id, w.payment_type, "
            "w.coupon_id, w.answer FROM unsettled_webhooks w WHERE w.last_seen_us < $1 AND "
            "w.first_seen_us > $2 ORDER BY w.last_seen_us LIMIT $3",
            [&](Poco::Data::Statement& s) {
              s, bind(toMicros(before)), bind(toMicros(since)),
                  bind(static_cast<Poco::Int64>(limit)), into(id), into(event), into(user),
                  into(plan), into(type), into(coupon), into(answer);
            });
        std::vector<UnsettledWebhook> webhooks;
        for (std::size_t i = 0; i < id.size(); ++i) {
          webhooks.push_back({id[i], event[i],
                              Claims{fromNullable(user[i]), fromNullable(plan[i]),
                                     fromNullable(type[i]), fromNullable(coupon[i])},
                              answer[i]});
        }
        return webhooks;
      },
      true);
}

}  // namespace paymentd::storage
