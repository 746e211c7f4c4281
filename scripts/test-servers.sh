#!/usr/bin/env bash
# Starts or stops throwaway PostgreSQL and Redis servers on loopback for the tests.
#   scripts/test-servers.sh start RUN_DIR   # prints `export ...` lines for the tests
#   scripts/test-servers.sh stop RUN_DIR
# Ports: PAYMENTD_TEST_PG_PORT (default 55432), PAYMENTD_TEST_REDIS_PORT (default 56379).
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail

action=${1:?usage: test-servers.sh start|stop RUN_DIR}
run=$(realpath -m "${2:?usage: test-servers.sh start|stop RUN_DIR}")
pg_port=${PAYMENTD_TEST_PG_PORT:-55432}
redis_port=${PAYMENTD_TEST_REDIS_PORT:-56379}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  if [ -f "$run/pg/data/postmaster.pid" ]; then
    as_pg "$pgbin/pg_ctl" -D "$run/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$run/redis.pid" ]; then
    kill "$(cat "$run/redis.pid")" 2>/dev/null || true
    rm -f "$run/redis.pid"
  fi
}

start() {
  stop
  rm -rf "$run/pg" && mkdir -p "$run/pg"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$run/pg"
  as_pg "$pgbin/initdb" -D "$run/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$run/pg/initdb.log" 2>&1
  # In the config file rather than on the command line, so a test that stops the
  # server can start it again with a plain `pg_ctl start`.
  cat >>"$run/pg/data/postgresql.conf" <<CONF
port = $pg_port
# TCP only: a Unix socket path under a long checkout path passes the kernel's
# 107-byte limit and the server refuses to start. The tests connect over TCP.
unix_socket_directories = ''
listen_addresses = '127.0.0.1'
fsync = off
max_connections = 200
CONF
  if ! as_pg "$pgbin/pg_ctl" -D "$run/pg/data" -l "$run/pg/log" -w start >/dev/null; then
    echo "test-servers: PostgreSQL did not start; its log:" >&2
    tail -n 20 "$run/pg/log" >&2
    exit 1
  fi
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --enable-debug-command yes --pidfile "$run/redis.pid" --logfile "$run/redis.log" --dir "$run" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    echo "test-servers: Redis did not start; its log:" >&2
    tail -n 20 "$run/redis.log" >&2
    exit 1
  fi
  echo "export PAYMENTD_TEST_POSTGRES='host=127.0.0.1 port=$pg_port user=postgres'"
  echo "export PAYMENTD_TEST_PG_BIN='$pgbin'"
  echo "export PAYMENTD_TEST_PG_DATA='$run/pg/data'"
  echo "export PAYMENTD_TEST_REDIS='redis://127.0.0.1:$redis_port/0'"
  echo "export PAYMENTD_TEST_REQUIRE_SERVERS=1"
}

mkdir -p "$run"
case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: test-servers.sh start|stop RUN_DIR" >&2; exit 2 ;;
esac
