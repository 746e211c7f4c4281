#!/usr/bin/env bash
# bench/check: the check API (GET /api/v1/payment/check/{id}) under wrk at 64
# connections, beside nginx serving a static JSON of the same size on the same
# machine, alternated round by round. Prints requests/s, p99, their ratio, and
# paymentd's resident memory idle and under this load.
#
#   bench/check/run.sh [--connections=64] [--duration=10] [--rounds=3] [--threads=72] [--pool=16]
#
# paymentd runs on PostgreSQL + Redis as in bench/webhook (bench/common.sh) with
# http.threads=--threads (handler threads; connections no longer need one each)
# and storage_pool_size=--pool. wrk and nginx are Debian packages, installed if
# missing (apt-get, as root). Needs a built tree (build/bin/...); BUILD=dir overrides.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$REPO/build}
connections=64 duration=10 rounds=3 threads=72 pool=16
for arg in "$@"; do
  case "$arg" in
    --connections=*) connections=${arg#*=} ;;
    --duration=*) duration=${arg#*=} ;;
    --rounds=*) rounds=${arg#*=} ;;
    --threads=*) threads=${arg#*=} ;;
    --pool=*) pool=${arg#*=} ;;
    *) echo "usage: $0 [--connections=N] [--duration=S] [--rounds=R] [--threads=T] [--pool=P]" >&2; exit 2 ;;
  esac
done
[ "$duration" -le 60 ] && [ "$rounds" -le 10 ] && [ "$connections" -le 1024 ] ||
  { echo "duration <= 60 s, rounds <= 10, connections <= 1024" >&2; exit 2; }

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  echo "installing wrk and nginx (Debian packages)" >&2
  apt-get install -y wrk nginx >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk nginx >/dev/null; }
fi

RUN=$(mktemp -d /tmp/paymentd-bench-check.XXXXXX)
chmod 755 "$RUN"
# shellcheck source=../common.sh
. "$REPO/bench/common.sh"
NGINX_PID=""
trap 'set +e; [ -n "$NGINX_PID" ] && kill "$NGINX_PID" && wait "$NGINX_PID"; stop_all; log "logs kept in $RUN"' EXIT

start_servers
start_paymentd "$threads" "$pool"
sleep 2
idle_kb=$(rss_kb "$PAYMENTD_PID")
log "paymentd idle RSS $(mb "$idle_kb") MB"

# One completed payment to poll.
"$BUILD/bin/webhook_load" unique --paymentd="$PAYMENTD_PORT" --sandbox="$SANDBOX_PORT" \
  --store-id="$STORE_ID" --secret-file="$REPO/config/sandbox-secrets/portone-webhook-secret" \
  --prefix=check --count=1 --concurrency=1 >/dev/null
path=/api/v1/payment/check/check-0
body=$(curl -fs "http://127.0.0.1:$PAYMENTD_PORT$path")
case "$body" in *'"completed"'*) ;; *) die "the check API answered: $body" ;; esac

# nginx: the same body as a static file at the same path (STACK.md section 5's config).
mkdir -p "$RUN/nginx/html$(dirname "$path")" "$RUN/nginx/logs" "$RUN/nginx/tmp"
printf '%s' "$body" >"$RUN/nginx/html$path"
NGINX_PORT=$(free_port 58570)
cat >"$RUN/nginx/nginx.conf" <<EOF
worker_processes auto;  pid $RUN/nginx/nginx.pid;  error_log $RUN/nginx/logs/error.log warn;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $RUN/nginx/tmp/body;  proxy_temp_path $RUN/nginx/tmp/proxy;
  fastcgi_temp_path $RUN/nginx/tmp/fastcgi;  uwsgi_temp_path $RUN/nginx/tmp/uwsgi;
  scgi_temp_path $RUN/nginx/tmp/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; root $RUN/nginx/html; default_type application/json; } }
EOF
nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NGINX_PORT$path" || die "nginx did not start"
nginx_body=$(curl -fs "http://127.0.0.1:$NGINX_PORT$path")
[ "${#nginx_body}" = "${#body}" ] || die "nginx serves ${#nginx_body} bytes, paymentd ${#body}"
log "body ${#body} bytes; paymentd :$PAYMENTD_PORT, nginx :$NGINX_PORT (pid $NGINX_PID)"

# wrk's 99% latency in ms ("1.23ms", "850.00us", "1.02s").
p99_ms() {
  awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}'
}
# wrk_round NAME URL: one measured run; prints one key=value line.
wrk_round() {
  local out before
  before=$(load_avg)
  out=$(timeout $((duration + 30)) wrk -t2 -c"$connections" -d"${duration}s" --latency "$2")
  echo "$1 load=\"$before\" rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}') \
p99_ms=$(echo "$out" | p99_ms) non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}') \
errors=\"$(echo "$out" | sed -n 's/^ *Socket errors: //p')\""
}

results="$RUN/results"
: >"$results"
# Warm-up, outside the figures: every connection, thread and pooled session.
wrk -t2 -c"$connections" -d2s "http://127.0.0.1:$PAYMENTD_PORT$path" >/dev/null
wrk -t2 -c"$connections" -d2s "http://127.0.0.1:$NGINX_PORT$path" >/dev/null
for round in $(seq "$rounds"); do
  rss_sample_start "$RUN/rss-check-$round"
  cpu_before=$(cpu_snapshot)
  line=$(wrk_round "paymentd round=$round" "http://127.0.0.1:$PAYMENTD_PORT$path")
  cpu_after=$(cpu_snapshot)
  rss_sample_stop
  requests=$(echo "$line" | field rps | awk -v d="$duration" '{printf "%d", $1 * d}')
  echo "$line rss_max_kb=$(max_of "$RUN/rss-check-$round") $(cpu_per_item "$cpu_before" "$cpu_after" "$requests")" |
    tee -a "$results"
  wrk_round "nginx round=$round" "http://127.0.0.1:$NGINX_PORT$path" | tee -a "$results"
  # paymentd's HTTP stack alone (no database): its ceiling on this machine.
  wrk_round "healthz round=$round" "http://127.0.0.1:$PAYMENTD_PORT/healthz" | tee -a "$results"
done

paymentd_rps=$(grep '^paymentd' "$results" | field rps | median)
nginx_rps=$(grep '^nginx' "$results" | field rps | median)
paymentd_p99=$(grep '^paymentd' "$results" | field p99_ms | median)
nginx_p99=$(grep '^nginx' "$results" | field p99_ms | median)
healthz_rps=$(grep '^healthz' "$results" | field rps | median)
healthz_p99=$(grep '^healthz' "$results" | field p99_ms | median)
loaded_kb=$(cat "$RUN"/rss-check-* | sort -n | tail -n 1)
cpu_line=""
for f in cpu_ms_paymentd cpu_ms_postgres; do
  cpu_line="$cpu_line ${f#cpu_ms_} $(grep '^paymentd' "$results" | field "$f" | median)"
done

echo
machine
echo "load average at the end: $(load_avg)"
echo "check API: wrk -t2 -c$connections -d${duration}s, $rounds rounds alternated (medians), body ${#body} bytes"
echo "  paymentd  $paymentd_rps req/s  p99 $paymentd_p99 ms  (http.threads=$threads, storage_pool_size=$pool)"
echo "  CPU ms per request:$cpu_line"
echo "  nginx     $nginx_rps req/s  p99 $nginx_p99 ms  (static file, worker_processes auto)"
echo "  ratio     $(ratio "$paymentd_rps" "$nginx_rps")  (target >= 0.6; p99 target < 5 ms)"
echo "  paymentd /healthz (no database)  $healthz_rps req/s  p99 $healthz_p99 ms  ratio to nginx $(ratio "$healthz_rps" "$nginx_rps")"
echo "paymentd RSS: idle $(mb "$idle_kb") MB (target < 32), under check load max $(mb "$loaded_kb") MB (target < 64)"
