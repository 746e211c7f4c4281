#!/usr/bin/env bash
# Starts or stops throwaway PostgreSQL and Redis servers on loopback for the tests.
#   scripts/test-servers.sh start RUN_DIR   # prints `export ...` lines for the tests
#   scripts/test-servers.sh stop RUN_DIR
# Ports: PAYMENTD_TEST_PG_PORT (default 55432), PAYMENTD_TEST_REDIS_PORT (default 56379),
# PAYMENTD_TEST_REDIS_AUTH_PORT (default the Redis port + 1).
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
# PostgreSQL has TLS on (a self-signed certificate made here) and a Unix socket; a second
# Redis requires a password (in a file) and also listens on a Unix socket.
# Everything PostgreSQL touches (data, certificate, log, socket) and the sockets live in a
# short directory under /tmp, not under RUN_DIR: a socket path under a deep checkout passes
# the kernel's 107-byte limit, and the `postgres` user cannot enter a checkout inside a
# mode-0700 directory. RUN_DIR keeps the rest and the name of that directory.
set -euo pipefail

action=${1:?usage: test-servers.sh start|stop RUN_DIR}
run=$(realpath -m "${2:?usage: test-servers.sh start|stop RUN_DIR}")
pg_port=${PAYMENTD_TEST_PG_PORT:-55432}
redis_port=${PAYMENTD_TEST_REDIS_PORT:-56379}
redis_auth_port=${PAYMENTD_TEST_REDIS_AUTH_PORT:-$((redis_port + 1))}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  local short=""
  if [ -f "$run/socket-dir" ]; then short=$(cat "$run/socket-dir"); fi
  if [ -n "$short" ] && [ -f "$short/pg/data/postmaster.pid" ]; then
    as_pg "$pgbin/pg_ctl" -D "$short/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  for pid in "$run/redis.pid" "$run/redis-auth.pid"; do
    if [ -f "$pid" ]; then
      kill "$(cat "$pid")" 2>/dev/null || true
      rm -f "$pid"
    fi
  done
  if [ -f "$run/socket-dir" ]; then
    rm -rf "$(cat "$run/socket-dir")"
    rm -f "$run/socket-dir"
  fi
}

wait_for_redis() {  # NAME, redis-cli arguments...
  local name=$1
  shift
  for _ in $(seq 50); do redis-cli "$@" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.1; done
  echo "test-servers: $name did not start; its log:" >&2
  tail -n 20 "$run/$name.log" >&2
  exit 1
}

start() {
  stop
  sockets=$(mktemp -d /tmp/pd-XXXXXX)
  echo "$sockets" >"$run/socket-dir"
  chmod 0755 "$sockets"
  pg=$sockets/pg
  mkdir -p "$pg"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$pg"; fi
  if ! as_pg "$pgbin/initdb" -D "$pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$run/initdb.log" 2>&1; then
    echo "test-servers: initdb failed; its log:" >&2
    tail -n 20 "$run/initdb.log" >&2
    exit 1
  fi
  # TLS with a self-signed certificate for 127.0.0.1; the tests trust it as their root.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$pg/server.key" -out "$pg/server.crt" >/dev/null 2>&1
  cp "$pg/server.crt" "$run/root.crt"
  chmod 0600 "$pg/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pg/server.key" "$pg/server.crt"; fi
  # In the config file rather than on the command line, so a test that stops the
  # server can start it again with a plain `pg_ctl start`.
  cat >>"$pg/data/postgresql.conf" <<CONF
port = $pg_port
unix_socket_directories = '$pg'
listen_addresses = '127.0.0.1'
ssl = on
ssl_cert_file = '$pg/server.crt'
ssl_key_file = '$pg/server.key'
fsync = off
max_connections = 200
CONF
  if ! as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w start >/dev/null; then
    echo "test-servers: PostgreSQL did not start; its log:" >&2
    tail -n 20 "$pg/log" >&2
    exit 1
  fi
  # 10000 databases: each test process locks in one of its own (tests/support/test_servers.h).
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --databases 10000 \
    --enable-debug-command yes --pidfile "$run/redis.pid" --logfile "$run/redis.log" --dir "$run" >/dev/null
  wait_for_redis redis -p "$redis_port"
  # The password only in files (mode 0600), never on a command line another user can read.
  (umask 077 && openssl rand -hex 16 >"$run/redis-password")
  (umask 077 && cat >"$run/redis-auth.conf" <<CONF
port $redis_auth_port
bind 127.0.0.1
unixsocket $sockets/redis.sock
unixsocketperm 700
requirepass $(cat "$run/redis-password")
save ""
appendonly no
daemonize yes
pidfile $run/redis-auth.pid
logfile $run/redis-auth.log
dir $run
CONF
)
  redis-server "$run/redis-auth.conf" >/dev/null
  REDISCLI_AUTH=$(cat "$run/redis-password") wait_for_redis redis-auth -p "$redis_auth_port"
  echo "export PAYMENTD_TEST_POSTGRES='host=127.0.0.1 port=$pg_port user=postgres'"
  echo "export PAYMENTD_TEST_PG_SOCKET_DIR='$pg'"
  echo "export PAYMENTD_TEST_PG_ROOT_CERT='$run/root.crt'"
  echo "export PAYMENTD_TEST_PG_BIN='$pgbin'"
  echo "export PAYMENTD_TEST_PG_DATA='$pg/data'"
  echo "export PAYMENTD_TEST_REDIS='redis://127.0.0.1:$redis_port/0'"
  echo "export PAYMENTD_TEST_REDIS_AUTH='redis://127.0.0.1:$redis_auth_port/0'"
  echo "export PAYMENTD_TEST_REDIS_SOCKET='unix:$sockets/redis.sock'"
  echo "export PAYMENTD_TEST_REDIS_PASSWORD_FILE='$run/redis-password'"
  echo "export PAYMENTD_TEST_REQUIRE_SERVERS=1"
}

mkdir -p "$run"
case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: test-servers.sh start|stop RUN_DIR" >&2; exit 2 ;;
esac
