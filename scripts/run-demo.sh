#!/usr/bin/env bash
# The demo on the embedded default: builds paymentd, starts the local PortOne
# sandbox and paymentd (config/paymentd.yaml: SQLite under run/, in-process
# lock), creates a paid FIRST_BILLING payment in the sandbox, lets the sandbox
# deliver its signed webhook, and prints what the browser's poll sees and the
# payment's trace. Then both keep running until Ctrl-C.
#
# It builds only what it runs (the daemon, its plugins, the sandbox), in build/ with the
# flags scripts/run-tests.sh uses, so the test command afterwards reuses that work.
set -euo pipefail
cd "$(dirname "$0")/.."

# The ports config/paymentd.yaml names: the demo says so, and stops if one is taken.
sandbox_port=8090
paymentd_url=http://127.0.0.1:8080
echo "== the demo uses 127.0.0.1 ports 8080 (paymentd), 8081 (operator API) and $sandbox_port (the PortOne sandbox)"
for port in 8080 8081 $sandbox_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run-demo: port $port is in use; stop what listens there (ss -ltnp 'sport = :$port')" >&2
    exit 1
  fi
done

cmake -S . -B build -G Ninja -DPAYMENTD_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)" --target paymentd paymentd_plugins portone-sandbox
mkdir -p run
build/bin/portone-sandbox --port=$sandbox_port >run/sandbox.log 2>&1 &
sandbox=$!
build/bin/paymentd --config=config/paymentd.yaml 2>run/paymentd.log &
daemon=$!
trap 'kill $daemon $sandbox 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$paymentd_url/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$paymentd_url/readyz" >/dev/null || { cat run/paymentd.log; exit 1; }

payment="demo-$(date +%s)"
user="user-$RANDOM"
notice="$paymentd_url/api/v1/payment/webhook?user_id=$user&subscribe_id=monthly-4&payment_type=FIRST_BILLING"
echo "== the browser paid $payment (59,000 KRW, card, billing key) through PortOne (the sandbox)"
curl -sf -X POST "http://127.0.0.1:$sandbox_port/_sandbox/payments" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$payment\",\"status\":\"READY\",\"amount\":59000,\"method\":\"card\",\"billingKey\":\"bk-$payment\",\"customerId\":\"$user\",\"noticeUrl\":\"$notice\"}" >/dev/null
curl -sf -X POST "http://127.0.0.1:$sandbox_port/_sandbox/payments/$payment/pay" -d '{}' >/dev/null

echo "== GET /api/v1/payment/check/$payment (polled once a second, as the web client does)"
for _ in $(seq 10); do
  answer=$(curl -sf "$paymentd_url/api/v1/payment/check/$payment")
  echo "$answer"
  grep -q '"status":"pending"' <<<"$answer" || break
  sleep 1
done

sleep 2  # the outbox worker asks PortOne to schedule the renewal after the commit
echo "== paymentd --config=config/paymentd.yaml trace $payment"
build/bin/paymentd --config=config/paymentd.yaml trace "$payment"

echo
admin=http://127.0.0.1:8081/admin/v1
auth="Authorization: Bearer $(cat config/sandbox-secrets/admin-token)"
echo "== the operator API (docs/operators.md): $user's subscriptions"
curl -sf -H "$auth" "$admin/users/$user"; echo
subscription=$(curl -sf -H "$auth" "$admin/users/$user" | sed -n 's/.*"subscriptions":\[{"id":"\([0-9]*\)".*/\1/p')
echo "== cancel subscription $subscription at period end, then resume it"
curl -sf -H "$auth" -H "Idempotency-Key: \"demo-cancel-$payment\"" -H 'X-Actor: demo' \
  -d '{"at":"period_end","reason":"the demo"}' "$admin/subscriptions/$subscription/cancel"; echo
curl -sf -H "$auth" -H "Idempotency-Key: \"demo-resume-$payment\"" -H 'X-Actor: demo' \
  -d '{"reason":"the demo"}' "$admin/subscriptions/$subscription/resume"; echo

echo
echo "paymentd: $paymentd_url (log: run/paymentd.log)   sandbox: http://127.0.0.1:$sandbox_port (docs/sandbox.md)"
echo "operator API: $admin (token: config/sandbox-secrets/admin-token; docs/operators.md)"
echo "The demo keeps running until Ctrl-C, which stops both."
wait $daemon
