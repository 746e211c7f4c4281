#!/usr/bin/env bash
# bench/webhook: paymentd's webhook throughput on PostgreSQL + Redis, beside
# pgbench running the same statements per payment against the same server.
#
#   bench/webhook/run.sh [--count=N] [--concurrency=C] [--rounds=R] [--copies=K]
#
# Starts PostgreSQL + Redis (scripts/test-servers.sh, ports BENCH_PG_PORT=55472,
# BENCH_REDIS_PORT=56419), the PortOne sandbox and paymentd (generated config in a
# temp dir). Each round: N paid FIRST_BILLING payments (distinct users) in the
# sandbox, N signed Transaction.Paid webhooks over C connections (webhook_load),
# then pgbench with bench/webhook/pipeline.sql, N transactions over C clients.
# Then K copies of one webhook against one webhook. Prints medians and ratios,
# and paymentd's resident memory idle and under load. Needs a built tree
# (build/bin/paymentd, portone-sandbox, webhook_load); BUILD=dir overrides build/.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$REPO/build}
count=1000 concurrency=16 rounds=3 copies=100
for arg in "$@"; do
  case "$arg" in
    --count=*) count=${arg#*=} ;;
    --concurrency=*) concurrency=${arg#*=} ;;
    --rounds=*) rounds=${arg#*=} ;;
    --copies=*) copies=${arg#*=} ;;
    *) echo "usage: $0 [--count=N] [--concurrency=C] [--rounds=R] [--copies=K]" >&2; exit 2 ;;
  esac
done
[ "$count" -ge "$concurrency" ] && [ "$count" -le 100000 ] && [ "$rounds" -le 20 ] ||
  { echo "need concurrency <= count <= 100000, rounds <= 20" >&2; exit 2; }

RUN=$(mktemp -d /tmp/paymentd-bench-webhook.XXXXXX)
chmod 755 "$RUN"
# shellcheck source=../common.sh
. "$REPO/bench/common.sh"
trap 'stop_all; log "logs kept in $RUN"' EXIT

start_servers
# Handler threads: the load's connections plus the health checks (the figures were measured so).
start_paymentd $((concurrency + 8)) "$concurrency"

sleep 2
idle_kb=$(rss_kb "$PAYMENTD_PID")
log "paymentd idle RSS $(mb "$idle_kb") MB"

load=(--paymentd="$PAYMENTD_PORT" --sandbox="$SANDBOX_PORT" --store-id="$STORE_ID"
      --secret-file="$REPO/config/sandbox-secrets/portone-webhook-secret")
results="$RUN/results"
: >"$results"

# Warm-up: connections, prepared plans and caches, outside the figures.
"$BUILD/bin/webhook_load" unique "${load[@]}" --prefix=warm --count="$concurrency" \
  --concurrency="$concurrency" >/dev/null

for round in $(seq "$rounds"); do
  before=$(load_avg)
  rss_sample_start "$RUN/rss-webhook-$round"
  cpu_before=$(cpu_snapshot)
  line=$(timeout 600 "$BUILD/bin/webhook_load" unique "${load[@]}" --prefix="r$round" \
    --count="$count" --concurrency="$concurrency") || die "round $round: $line"
  cpu=$(cpu_per_item "$cpu_before" "$(cpu_snapshot)" "$count")
  rss_sample_stop
  echo "paymentd round=$round load=\"$before\" rss_max_kb=$(max_of "$RUN/rss-webhook-$round") $line $cpu" |
    tee -a "$results"

  before=$(load_avg)
  cpu_before=$(cpu_snapshot)
  pg=$(timeout 600 /usr/bin/time -f "pgbench_cpu_s=%U+%S" "$PGBIN/pgbench" -n -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres \
    -f "$REPO/bench/webhook/pipeline.sql" -c "$concurrency" -j 2 -t $((count / concurrency)) \
    "$BENCH_DB" 2>&1) || die "pgbench: $pg"
  tps=$(echo "$pg" | awk '/^tps = / {print $3; exit}')
  lat=$(echo "$pg" | awk '/^latency average = / {print $4; exit}')
  # pgbench's backends end with it: their CPU is not in the snapshot, only pgbench's own.
  client=$(echo "$pg" | sed -n 's/^pgbench_cpu_s=//p' | awk -F+ -v n="$count" '{printf "%.3f", ($1 + $2) * 1000 / n}')
  echo "pgbench round=$round load=\"$before\" payments_per_s=$tps latency_avg_ms=$lat cpu_ms_client=$client" |
    tee -a "$results"
done

before=$(load_avg)
rss_sample_start "$RUN/rss-copies"
copies_line=$(timeout 300 "$BUILD/bin/webhook_load" copies "${load[@]}" --prefix=copies \
  --copies="$copies" --concurrency="$concurrency") || die "copies: $copies_line"
rss_sample_stop
echo "copies load=\"$before\" $copies_line" | tee -a "$results"

paymentd_rate=$(grep '^paymentd' "$results" | field webhooks_per_s | median)
pgbench_rate=$(grep '^pgbench' "$results" | field payments_per_s | median)
p50=$(grep '^paymentd' "$results" | field p50_ms | median)
p99=$(grep '^paymentd' "$results" | field p99_ms | median)
cpu_fields="cpu_ms_paymentd cpu_ms_sandbox cpu_ms_postgres cpu_ms_redis cpu_ms_client"
cpu_line=""
for f in $cpu_fields; do
  cpu_line="$cpu_line ${f#cpu_ms_} $(grep '^paymentd' "$results" | field "$f" | median)"
done
loaded_kb=$(cat "$RUN"/rss-webhook-* "$RUN/rss-copies" | sort -n | tail -n 1)

echo
machine
echo "load average at the end: $(load_avg)"
echo "webhooks: $count unique paid FIRST_BILLING per round, $concurrency connections, $rounds rounds (medians)"
echo "  paymentd  $paymentd_rate webhooks/s  p50 $p50 ms  p99 $p99 ms"
echo "  CPU ms per webhook:$cpu_line"
echo "  pgbench   $pgbench_rate payments/s (bench/webhook/pipeline.sql, $concurrency clients)"
echo "  ratio     $(ratio "$paymentd_rate" "$pgbench_rate")  (target >= 0.8)"
echo "copies: $(echo "$copies_line" | field copies) copies of one webhook vs one"
echo "  one webhook alone            $(echo "$copies_line" | field one_ms) ms"
echo "  copies at once ($concurrency conns)  $(echo "$copies_line" | field storm_ms) ms  ratio $(echo "$copies_line" | field storm_ratio)  (target <= 2)"
echo "  copies one after another     $(echo "$copies_line" | field serial_ms) ms  ratio $(echo "$copies_line" | field serial_ratio)  (one duplicate: $(echo "$copies_line" | field duplicate_p50_ms) ms)"
echo "paymentd RSS: idle $(mb "$idle_kb") MB (target < 32), under webhook load max $(mb "$loaded_kb") MB (target < 64)"
