#!/usr/bin/env bash
# The recurring story on the local PortOne sandbox (docs/operators.md):
#   first billing -> the renewal at the period's end -> three declines, each with
#   its notice and a retry the next day at 10:00 KST -> a success that restores ACTIVE.
# It starts the sandbox and paymentd on a scratch SQLite database under
# run/demo-recurring/ (ports DEMO_PORT, default 8181, and SANDBOX_PORT, 8191),
# moves the sandbox's clock with its control API, and prints the subscription,
# the outbox and the notices after each step. Needs a build (build/bin), curl, jq, sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
port=${DEMO_PORT:-8181}
sandbox_port=${SANDBOX_PORT:-8191}
dir=$root/run/demo-recurring
rm -rf "$dir" && mkdir -p "$dir"

cat >"$dir/paymentd.yaml" <<YAML
http: {listen: "127.0.0.1:$port"}
storage: "sqlite:$dir/paymentd.db"
portone:
  api_base: "http://127.0.0.1:$sandbox_port"
  store_id: "store-00000000-0000-0000-0000-000000000000"
  api_secret_file: "$root/config/sandbox-secrets/portone-api-secret"
  webhook_secret_files: ["$root/config/sandbox-secrets/portone-webhook-secret"]
catalog: "$root/config/plans.yaml"
plugins:
  directories: ["$root/build/lib/paymentd/plugins"]
  validators: [amount, duplicate-request, card, payment-status, duplicate-lesson]
  payment_types: [FIRST_BILLING, BILLING]
  processors: {FIRST_BILLING: first-billing, BILLING: billing}
  notifiers:
    admin_slack: {plugin: log, config: {prefix: "NOTICE"}}
    alimtalk: {plugin: log, config: {prefix: "NOTICE"}}
    sms: {plugin: log, config: {prefix: "NOTICE"}}
public_url: "http://127.0.0.1:$port"
outbox: {poll_interval_ms: 200}
YAML

build/bin/portone-sandbox --port="$sandbox_port" >"$dir/sandbox.log" 2>&1 &
sandbox_pid=$!
build/bin/paymentd --config="$dir/paymentd.yaml" >"$dir/paymentd.log" 2>&1 &
paymentd_pid=$!
trap 'kill $paymentd_pid $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

sandbox() { curl -sf -X "$1" "http://127.0.0.1:$sandbox_port$2" -H 'content-type: application/json' ${3:+-d "$3"}; }
sql() { sqlite3 -separator ' ' "$dir/paymentd.db" "$1"; }
wait_for() {  # SQL COUNT query, expected value
  for _ in $(seq 100); do [ "$(sql "$1")" = "$2" ] && return 0; sleep 0.1; done
  echo "timed out waiting for: $1 = $2" >&2; exit 1
}
show() {
  echo "--- $1"
  sql "SELECT 'subscription', id, status, 'failures=' || consecutive_failures,
       'period_end=' || datetime(period_end_us / 1000000, 'unixepoch', '+9 hours') || ' KST'
       FROM subscriptions"
  build/bin/paymentd --config="$dir/paymentd.yaml" outbox list | tail -n +2 | head -4 | cut -f1-6
  grep -h '^NOTICE' "$dir/paymentd.log" | tail -n +"$((notices + 1))" || true
  notices=$(grep -c '^NOTICE' "$dir/paymentd.log" || true)
  echo
}
notices=0
advance_to_next_schedule() {  # moves the sandbox clock past the newest schedule's time
  local due
  due=$(sql "SELECT json_extract(payload, '$.time_to_pay_us') FROM outbox
             WHERE kind = 'schedule_payment' ORDER BY id DESC LIMIT 1")
  local now
  now=$(sandbox GET /_sandbox/clock | jq -r .now)
  local seconds=$(( due / 1000000 - $(date -d "$now" +%s) + 1 ))
  [ "$seconds" -lt 0 ] && seconds=0
  sandbox POST /_sandbox/clock/advance "{\"seconds\": $seconds}" | jq -c '{ran: .ranSchedules}'
}

# The customer's card: the first renewal goes through, then three declines, then it works.
sandbox POST /_sandbox/billing-keys \
  '{"billingKey":"demo-card","customerId":"42","script":["succeed","decline","decline","decline"],"then":"succeed"}' >/dev/null
# The first billing, paid in the browser with the customer's phone number (AlimTalk and
# SMS notices go there; the log shows it masked); PortOne sends the webhook with the claims.
url="http://127.0.0.1:$port/api/v1/payment/webhook?user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING"
sandbox POST /_sandbox/payments "{\"id\":\"demo-pay-1\",\"amount\":59000,\"method\":\"card\",\"billingKey\":\"demo-card\",\"customerId\":\"42\",\"customerPhone\":\"010-1234-5678\",\"noticeUrls\":[\"$url\"]}" >/dev/null
sandbox POST /_sandbox/payments/demo-pay-1/pay >/dev/null
wait_for "SELECT COUNT(*) FROM outbox WHERE kind = 'schedule_payment' AND status = 'DONE'" 1
show "1. first billing: subscription ACTIVE, renewal scheduled at the period's end"

advance_to_next_schedule
wait_for "SELECT COUNT(*) FROM outbox WHERE kind = 'schedule_payment' AND status = 'DONE'" 2
show "2. renewal at the period's end paid; the next cycle is scheduled"

for n in 1 2 3; do
  advance_to_next_schedule
  wait_for "SELECT COUNT(*) FROM outbox WHERE kind = 'notify' AND status = 'DONE'" "$n"
  show "3.$n decline $n: PAST_DUE, notice sent, retry tomorrow 10:00 KST"
done

advance_to_next_schedule
wait_for "SELECT COUNT(*) FROM outbox WHERE kind = 'schedule_payment' AND status = 'DONE'" 6
show "4. the fourth attempt succeeds: ACTIVE, failures reset, next cycle scheduled"

echo "--- check API and trace of the successful retry"
curl -s "http://127.0.0.1:$port/api/v1/payment/check/paymentd-sub1-c2-a4"; echo
if build/bin/paymentd --help 2>/dev/null | grep -q trace; then
  build/bin/paymentd --config="$dir/paymentd.yaml" trace paymentd-sub1-c2-a4
else
  sql "SELECT stage, result, detail FROM payment_events WHERE payment_id = 'paymentd-sub1-c2-a4' ORDER BY id"
fi
