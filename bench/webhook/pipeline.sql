-- pgbench script: the SQL paymentd sends for one fulfilled FIRST_BILLING webhook,
-- in its order and transaction boundaries (captured with log_statement=all,
-- 2026-11-24, updated for schema 5: the recipient phone, the subscription's next
-- payment, payments.subscription_id; for schema 7: the schedule ledger's row; Poco's DEALLOCATEs and its prepare round trips left out: they are
-- paymentd's overhead, which the comparison is meant to show).
\set n random(1, 9000000000000)
-- the "received" and "lock" events, one statement once the lock is held
INSERT INTO payment_events (payment_id, at_us, stage, result, detail, duration_us) VALUES ('pgb-' || :n, :n, 'received', 'ok', 'Transaction.Paid payment_type=FIRST_BILLING subscribe_id=monthly-4', 0), ('pgb-' || :n, :n, 'lock', 'ok', '', 100);
-- PaymentLog::check: one statement
SELECT p.payment_type, f.payment_type, f.code, f.refund FROM (SELECT CAST('pgb-' || :n AS TEXT) AS id) k LEFT JOIN payments p ON p.id = k.id LEFT JOIN payment_failures f ON f.payment_id = k.id;
-- the payment's transaction: validators, the first-billing processor, the payment row
BEGIN;
SELECT id, name, price, months, lessons_per_month, trial FROM plans WHERE id = 'monthly-4';
SELECT COUNT(*) FROM payments WHERE id = 'pgb-' || :n;
SELECT id, user_id, plan_id, status, trial, billing_key, period_start_us, period_end_us, consecutive_failures, level FROM subscriptions WHERE user_id = 'u-pgb-' || :n AND plan_id = 'monthly-4' AND status IN ('ACTIVE', 'PAST_DUE');
SELECT id, name, price, months, lessons_per_month, trial FROM plans WHERE id = 'monthly-4';
SELECT user_id, level, taken_at_us FROM level_tests WHERE user_id = 'u-pgb-' || :n ORDER BY taken_at_us DESC, id DESC LIMIT 1;
INSERT INTO subscriptions (user_id, plan_id, status, trial, billing_key, period_start_us, period_end_us, consecutive_failures, level, recipient_phone, created_at_us, updated_at_us) VALUES ('u-pgb-' || :n, 'monthly-4', 'ACTIVE', false, 'bk-pgb-' || :n, :n, :n + 2592000000000, 0, NULL, NULL, :n, :n) RETURNING id AS sub \gset
INSERT INTO tickets (subscription_id, payment_id, period_start_us, period_end_us, lessons, created_at_us) VALUES (:sub, 'pgb-' || :n, :n, :n + 2592000000000, 4, :n);
INSERT INTO payment_schedules (payment_id, subscription_id, cycle, attempt, user_id, plan_id, billing_key, amount, currency, order_name, time_to_pay_us, status, created_at_us, updated_at_us) VALUES ('paymentd-sub' || :sub || '-c1-a1', :sub, 1, 1, 'u-pgb-' || :n, 'monthly-4', 'bk-pgb-' || :n, 59000, 'KRW', 'Monthly, 4 lessons', :n + 2592000000000, 'PENDING', :n, :n) ON CONFLICT (payment_id) DO NOTHING;
INSERT INTO outbox (kind, dedupe_key, payload, status, attempts, due_at_us, created_at_us, updated_at_us, payment_id) VALUES ('schedule_payment', 'schedule:paymentd-sub' || :sub || '-c1-a1', '{"payment_id":"paymentd-sub' || :sub || '-c1-a1"}', 'PENDING', 0, 0, :n, :n, 'pgb-' || :n) ON CONFLICT (dedupe_key) DO NOTHING;
UPDATE subscriptions SET next_payment_id = 'paymentd-sub' || :sub || '-c1-a1', next_payment_due_us = :n + 2592000000000 WHERE id = :sub;
INSERT INTO payments (id, payment_type, user_id, plan_id, subscription_id, coupon_id, amount, currency, fulfilled_at_us) VALUES ('pgb-' || :n, 'FIRST_BILLING', 'u-pgb-' || :n, 'monthly-4', :sub, NULL, 59000, 'KRW', :n);
COMMIT;
-- the trace, written after the commit: one multi-row INSERT
INSERT INTO payment_events (payment_id, at_us, stage, result, detail, duration_us) VALUES ('pgb-' || :n, :n, 'verified', 'ok', 'status=PAID total=59000 KRW', 500), ('pgb-' || :n, :n, 'validator:amount@1.1.0', 'ok', '', 10), ('pgb-' || :n, :n, 'validator:duplicate-request@1.0.0', 'ok', '', 10), ('pgb-' || :n, :n, 'validator:card@1.0.0', 'ok', '', 10), ('pgb-' || :n, :n, 'validator:payment-status@1.0.0', 'ok', '', 10), ('pgb-' || :n, :n, 'validator:duplicate-lesson@1.0.0', 'ok', '', 10), ('pgb-' || :n, :n, 'processor:first-billing@1.2.0', 'ok', '', 200), ('pgb-' || :n, :n, 'committed', 'ok', '', 400);
