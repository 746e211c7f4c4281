#include "storage/migrations.h"

#include <string>
#include <vector>

#include "storage/schedule_backfill.h"
#include "storage/time_codec.h"

namespace paymentd::storage {
namespace {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;

struct Migration {
  std::int64_t version;
  const char* name;
  std::vector<const char*> statements;  // may use the tokens replaced in forBackend()
  void (*after)(Connection&, Timestamp now) = nullptr;  // data the statements cannot move
};

// Times are BIGINT microseconds since the Unix epoch, UTC: Poco drops the
// fraction of a DateTime read from PostgreSQL and misreads timestamptz offsets.
// Amounts are BIGINT won. {{ID}} is the backend's auto-increment key.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "domain schema",
       {
           R"(CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  price BIGINT NOT NULL CHECK (price >= 0),
  months BIGINT NOT NULL CHECK (months >= 1),
  lessons_per_month BIGINT NOT NULL CHECK (lessons_per_month >= 0),
  trial BOOLEAN NOT NULL,
  retired BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at_us BIGINT NOT NULL))",
           R"(CREATE TABLE subscriptions (
  id {{ID}},
  user_id TEXT NOT NULL,
  plan_id TEXT NOT NULL REFERENCES plans (id),
  status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'PAST_DUE', 'FAILED', 'CANCELLED')),
  trial BOOLEAN NOT NULL,
  billing_key TEXT,
  period_start_us BIGINT NOT NULL,
  period_end_us BIGINT NOT NULL,
  consecutive_failures BIGINT NOT NULL DEFAULT 0,
  level TEXT,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL))",
           "CREATE UNIQUE INDEX subscriptions_one_live_per_user_plan ON subscriptions (user_id, "
           "plan_id) "
           "WHERE status IN ('ACTIVE', 'PAST_DUE')",
           "CREATE UNIQUE INDEX subscriptions_one_trial_per_user ON subscriptions (user_id) WHERE "
           "trial",
           "CREATE INDEX subscriptions_by_user ON subscriptions (user_id)",
           R"(CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  payment_type TEXT NOT NULL,
  user_id TEXT NOT NULL,
  plan_id TEXT,
  subscription_id BIGINT REFERENCES subscriptions (id),
  coupon_id TEXT,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  fulfilled_at_us BIGINT NOT NULL))",
           R"(CREATE TABLE tickets (
  id {{ID}},
  subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
  payment_id TEXT NOT NULL,
  period_start_us BIGINT NOT NULL,
  period_end_us BIGINT NOT NULL,
  lessons BIGINT NOT NULL CHECK (lessons >= 0),
  created_at_us BIGINT NOT NULL,
  UNIQUE (subscription_id, period_start_us)))",
           "CREATE INDEX tickets_by_payment ON tickets (payment_id)",
           R"(CREATE TABLE lessons (
  id {{ID}},
  subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  starts_at_us BIGINT,
  status TEXT NOT NULL DEFAULT 'RESERVED',
  created_at_us BIGINT NOT NULL))",
           R"(CREATE TABLE level_tests (
  id {{ID}},
  user_id TEXT NOT NULL,
  level TEXT NOT NULL,
  taken_at_us BIGINT NOT NULL))",
           "CREATE INDEX level_tests_by_user ON level_tests (user_id, taken_at_us)",
           R"(CREATE TABLE coupons (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  discount BIGINT NOT NULL CHECK (discount >= 0),
  expires_at_us BIGINT,
  used_by_payment_id TEXT UNIQUE,
  used_at_us BIGINT,
  created_at_us BIGINT NOT NULL))",
           R"(CREATE TABLE payment_failures (
  payment_id TEXT PRIMARY KEY,
  payment_type TEXT,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  refund TEXT NOT NULL CHECK (refund IN ('NONE', 'INTENDED', 'DONE', 'FAILED')),
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL))",
           R"(CREATE TABLE payment_events (
  id {{ID}},
  payment_id TEXT NOT NULL,
  at_us BIGINT NOT NULL,
  stage TEXT NOT NULL,
  result TEXT NOT NULL,
  detail TEXT NOT NULL))",
           "CREATE INDEX payment_events_by_payment ON payment_events (payment_id, id)",
           R"(CREATE TABLE outbox (
  id {{ID}},
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'DEAD')),
  attempts BIGINT NOT NULL DEFAULT 0,
  due_at_us BIGINT NOT NULL,
  last_error TEXT,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL))",
           "CREATE INDEX outbox_due ON outbox (status, due_at_us)",
       }},
      {2,
       "trace: event durations, outbox items by payment",
       {
           "ALTER TABLE payment_events ADD COLUMN duration_us BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE outbox ADD COLUMN payment_id TEXT",
           "CREATE INDEX outbox_by_payment ON outbox (payment_id)",
       }},
      {3,
       "outbox leases, counted billing failures",
       {
           // A worker's claim: other workers skip the item until lease_until_us.
           "ALTER TABLE outbox ADD COLUMN claimed_by TEXT",
           "ALTER TABLE outbox ADD COLUMN lease_until_us BIGINT",
           // One row per failed recurring payment id: a redelivered
           // Transaction.Failed finds its row and counts nothing again.
           R"(CREATE TABLE billing_failures (
  payment_id TEXT PRIMARY KEY,
  subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
  cycle BIGINT NOT NULL,
  attempt BIGINT NOT NULL,
  failure_number BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  created_at_us BIGINT NOT NULL))",
           "CREATE INDEX billing_failures_by_subscription ON billing_failures (subscription_id)",
       }},
      {4,
       "subscriber phone numbers for AlimTalk and SMS notices",
       {
           // PortOne's customer.phoneNumber of the payment that created or last
           // renewed the subscription; digits only. Personal data (docs/schema.md).
           "ALTER TABLE subscriptions ADD COLUMN recipient_phone TEXT",
       }},
      {5,
       "each subscription's next scheduled payment, for the reconciler",
       {
           // Set whenever a schedule_payment item for the subscription is
           // enqueued; a payment due long ago that no webhook settled is one
           // the reconciler asks PortOne about.
           "ALTER TABLE subscriptions ADD COLUMN next_payment_id TEXT",
           "ALTER TABLE subscriptions ADD COLUMN next_payment_due_us BIGINT",
           "CREATE INDEX subscriptions_next_payment_due ON subscriptions (next_payment_due_us)",
       }},
      {6,
       "verified webhooks answered 503 or PAYMENT_NOT_PAID, for the reconciler",
       {
           R"(CREATE TABLE unsettled_webhooks (
  payment_id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  user_id TEXT,
  subscribe_id TEXT,
  payment_type TEXT,
  coupon_id TEXT,
  answer TEXT NOT NULL,
  first_seen_us BIGINT NOT NULL,
  last_seen_us BIGINT NOT NULL))",
           "CREATE INDEX unsettled_webhooks_by_last_seen ON unsettled_webhooks (last_seen_us)",
       }},
      {7,
       "the schedule ledger: what paymentd asked PortOne to charge, one paid attempt per cycle",
       {
           R"(CREATE TABLE payment_schedules (
  payment_id TEXT PRIMARY KEY,
  subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
  cycle BIGINT NOT NULL CHECK (cycle >= 1),
  attempt BIGINT NOT NULL CHECK (attempt >= 1),
  user_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  billing_key TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL,
  order_name TEXT NOT NULL,
  time_to_pay_us BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'SCHEDULED', 'PAID', 'FAILED', 'REVOKED',
                                         'PAID_TWICE')),
  portone_schedule_id TEXT,
  notice_url TEXT,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  UNIQUE (subscription_id, cycle, attempt)))",
           // The guard: one cycle of a subscription is paid for at most once.
           "CREATE UNIQUE INDEX payment_schedules_one_paid_per_cycle ON payment_schedules "
           "(subscription_id, cycle) WHERE status = 'PAID'",
       },
       backfillScheduleLedger},
      {8,
       "the subscription lifecycle: cancellations, card changes, operator refunds, the audit",
       {
           "ALTER TABLE subscriptions ADD COLUMN cancel_at_period_end BOOLEAN NOT NULL DEFAULT "
           "FALSE",
           "ALTER TABLE subscriptions ADD COLUMN cancelled_at_us BIGINT",
           "ALTER TABLE subscriptions ADD COLUMN card_last_digits TEXT",
           "ALTER TABLE tickets ADD COLUMN revoked_at_us BIGINT",
           "ALTER TABLE payments ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0",
           // Who changed a subscription, when and why: the audit trail.
           R"(CREATE TABLE subscription_events (
  id {{ID}},
  subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
  at_us BIGINT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL))",
           "CREATE INDEX subscription_events_by_subscription ON subscription_events "
           "(subscription_id, id)",
           // An operator request's answer, kept under its Idempotency-Key.
           R"(CREATE TABLE operator_requests (
  idempotency_key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  actor TEXT NOT NULL,
  status BIGINT NOT NULL,
  answer TEXT NOT NULL,
  created_at_us BIGINT NOT NULL))",
           // A refund an operator asked for: the intent before PortOne is asked.
           R"(CREATE TABLE operator_refunds (
  idempotency_key TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payments (id),
  amount BIGINT NOT NULL CHECK (amount > 0),
  cancellable_before BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('INTENDED', 'DONE', 'FAILED')),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL))",
           "CREATE INDEX operator_refunds_by_payment ON operator_refunds (payment_id)",
       }},
      {9,
       "changes made outside paymentd: console refunds, deleted billing keys",
       {
           // Why a cancel at period end was set when paymentd set it itself
           // (BILLING_KEY_DELETED); NULL for an operator's.
           "ALTER TABLE subscriptions ADD COLUMN cancel_reason TEXT",
           // The part of refunded_amount cancelled outside paymentd (PortOne's console).
           "ALTER TABLE payments ADD COLUMN cancelled_at_portone BIGINT NOT NULL DEFAULT 0",
       }},
      {12,
       "PortOne V1 (Iamport) billing keys",
       {
           // Which PortOne API the subscription's billing key belongs to: V1 for a
           // customer_uid brought in by `subscription import`, V2 for every other.
           "ALTER TABLE subscriptions ADD COLUMN portone_version TEXT NOT NULL DEFAULT 'V2' "
           "CHECK (portone_version IN ('V1', 'V2'))",
           // Which API a schedule goes through: its subscription's when it was recorded.
           "ALTER TABLE payment_schedules ADD COLUMN portone_version TEXT NOT NULL DEFAULT 'V2' "
           "CHECK (portone_version IN ('V1', 'V2'))",
       }},
      {13,
       "paid payments no webhook brought: the payment sweep",
       {
           // One row per payment PortOne showed PAID that paymentd had no record of.
           R"(CREATE TABLE swept_payments (
  payment_id TEXT PRIMARY KEY,
  paid_at_us BIGINT,
  first_seen_us BIGINT NOT NULL,
  resends BIGINT NOT NULL DEFAULT 0,
  last_resend_us BIGINT,
  state TEXT NOT NULL CHECK (state IN ('PENDING', 'RESENT', 'UNRESOLVED', 'RESOLVED')),
  detail TEXT NOT NULL DEFAULT '',
  updated_at_us BIGINT NOT NULL))",
           "CREATE INDEX swept_payments_by_state ON swept_payments (state, last_resend_us)",
           // The sweep's place in PortOne's list, shared by every daemon: how far it has
           // looked, the window a pass is paging through, and which daemon pages it.
           R"(CREATE TABLE sweep_cursor (
  name TEXT PRIMARY KEY,
  swept_until_us BIGINT,
  window_from_us BIGINT,
  window_until_us BIGINT,
  next_page BIGINT NOT NULL DEFAULT 0,
  claimed_by TEXT,
  lease_until_us BIGINT NOT NULL DEFAULT 0,
  updated_at_us BIGINT NOT NULL))",
       }},
  };
  return kMigrations;
}

std::string forBackend(std::string sql, Backend backend) {
  const std::string token = "{{ID}}";
  const std::string id =
      backend == Backend::kPostgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
  for (auto at = sql.find(token); at != std::string::npos; at = sql.find(token)) {
    sql.replace(at, token.size(), id);
  }
  return sql;
}

std::int64_t currentVersion(Connection& connection) {
  Poco::Nullable<Poco::Int64> version;
  connection.run("SELECT MAX(version) FROM schema_migrations",
                 [&](Poco::Data::Statement& s) { s, into(version); });
  return version.isNull() ? 0 : version.value();
}

}  // namespace

std::int64_t latestSchemaVersion() {
  return migrations().back().version;
}

MigrationReport migrate(Database& database, std::int64_t up_to) {
  return database.withConnection(
      [&](Connection& connection) {
        connection.begin();
        try {
          if (connection.backend() == Backend::kPostgres) {
            // Serializes daemons starting together; released at commit.
            Poco::Int64 held = 0;
            connection.run("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(7260417)) AS held",
                           [&](Poco::Data::Statement& s) { s, into(held); });
          }
          connection.run(
              "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
              "name TEXT NOT NULL, applied_at_us BIGINT NOT NULL)");
          MigrationReport report;
          report.from = currentVersion(connection);
          report.to = report.from;
          if (report.from > latestSchemaVersion()) {
            throw SchemaTooNew("database " + database.display() + " has schema version " +
                               std::to_string(report.from) + ", newer than this paymentd knows (" +
                               std::to_string(latestSchemaVersion()) +
                               "); upgrade paymentd or point it at another database");
          }
          for (const Migration& migration : migrations()) {
            if (migration.version <= report.from) continue;
            if (migration.version > up_to) break;
            for (const char* statement : migration.statements) {
              connection.run(forBackend(statement, connection.backend()));
            }
            if (migration.after != nullptr) migration.after(connection, database.now());
            connection.run(
                "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES ($1, $2, $3)",
                [&](Poco::Data::Statement& s) {
                  s, bind(static_cast<Poco::Int64>(migration.version)),
                      bind(std::string(migration.name)), bind(toMicros(database.now()));
                });
            report.to = migration.version;
          }
          connection.commit();
          return report;
        } catch (...) {
          if (connection.inTransaction()) connection.rollback();
          throw;
        }
      },
      true);
}

}  // namespace paymentd::storage
