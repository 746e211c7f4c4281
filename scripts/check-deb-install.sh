#!/usr/bin/env bash
# Installs the .deb packages built from BUILD_DIR on this machine, as an operator
# would (docs/operations.md), checks the installed daemon, then purges them.
# Needs root. CI runs it after the tests:  scripts/check-deb-install.sh build
set -euo pipefail
build=$(realpath "${1:?usage: check-deb-install.sh BUILD_DIR}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
# Debian's own checks: any error fails the run; warnings are printed for a person to read.
lintian --fail-on error --tag-display-limit 0 "$out"/paymentd_*_amd64.deb "$out"/paymentd-dev_*_all.deb
apt-get install -y -qq "$out"/paymentd_*_amd64.deb "$out"/paymentd-dev_*_all.deb >/dev/null

getent passwd paymentd >/dev/null || { echo "no paymentd user"; exit 1; }
test -d /etc/paymentd/credentials
# The admin listener's token: made by postinst, random, readable by root alone.
[ "$(stat -c %a /etc/paymentd/credentials/admin-token)" = 600 ] || { echo "no private admin token"; exit 1; }
[ "$(wc -c </etc/paymentd/credentials/admin-token)" -ge 16 ] || { echo "admin token too short"; exit 1; }
# The operator's step: the secrets as credentials files (test values here).
install -m 0600 /dev/stdin /etc/paymentd/credentials/portone-api-secret <<<"test-api-secret"
install -m 0600 /dev/stdin /etc/paymentd/credentials/portone-webhook-secret \
  <<<"whsec_dGVzdC13ZWJob29rLXNlY3JldC0xMjM0NTY3OA=="
# As docs/operations.md has the operator run it from a shell, and as the unit's
# ExecStartPre runs it (systemd sets CREDENTIALS_DIRECTORY).
(unset CREDENTIALS_DIRECTORY
 paymentd --config=/etc/paymentd/paymentd.yaml --credentials-dir=/etc/paymentd/credentials --check-config)
CREDENTIALS_DIRECTORY=/etc/paymentd/credentials \
  /usr/bin/paymentd --config=/etc/paymentd/paymentd.yaml --check-config
if [ -d /run/systemd/system ] || command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/paymentd.service
fi
# Start the installed daemon as its unit would and scrape it. Under systemd through the unit;
# elsewhere (a container's CI) with what the unit gives it: the paymentd user, its state
# directory, and the credentials copied to a private directory it can read.
if [ -d /run/systemd/system ]; then
  systemctl start paymentd
  systemctl is-active --quiet paymentd || { systemctl status paymentd --no-pager; exit 1; }
  daemon_log() { journalctl -u paymentd --no-pager -n 50; }
  stop_daemon() { systemctl stop paymentd; }
else
  install -d -m 0750 -o paymentd -g paymentd /var/lib/paymentd
  credentials=$(mktemp -d)
  cp /etc/paymentd/credentials/* "$credentials"/
  chown -R paymentd:paymentd "$credentials"
  chmod 0500 "$credentials"
  # setpriv execs the daemon itself (runuser would stand between, and answer SIGTERM alone).
  CREDENTIALS_DIRECTORY="$credentials" setpriv --reuid=paymentd --regid=paymentd --init-groups \
    /usr/bin/paymentd --config=/etc/paymentd/paymentd.yaml 2>"$out/daemon.log" &
  daemon=$!
  daemon_log() { cat "$out/daemon.log"; }
  stop_daemon() {
    local status=0
    kill -TERM "$daemon"
    wait "$daemon" || status=$?
    rm -rf "$credentials"
    return "$status"
  }
fi
for _ in $(seq 100); do curl -sf http://127.0.0.1:8080/readyz >/dev/null && break; sleep 0.1; done
curl -sf http://127.0.0.1:8080/readyz >/dev/null || { echo "the installed daemon is not ready"; daemon_log; exit 1; }
curl -sf http://127.0.0.1:8080/metrics >"$out/metrics.txt"
promtool check metrics <"$out/metrics.txt" || { echo "promtool refused the scrape"; exit 1; }
grep -q '^paymentd_build_info{' "$out/metrics.txt" || { echo "no paymentd_build_info"; exit 1; }
stop_daemon || { echo "the installed daemon did not stop cleanly"; daemon_log; exit 1; }
rm -rf /var/lib/paymentd

test -f /usr/include/paymentd/plugin.h
for doc in operations.md operators.md events.md copyright changelog.Debian.gz; do
  test -f "/usr/share/doc/paymentd/$doc" || { echo "no /usr/share/doc/paymentd/$doc"; exit 1; }
done
test -f /usr/share/man/man8/paymentd.8.gz || { echo "no man page paymentd(8)"; exit 1; }

rm -f /etc/paymentd/credentials/portone-api-secret /etc/paymentd/credentials/portone-webhook-secret
dpkg --purge paymentd-dev paymentd >/dev/null
if getent passwd paymentd >/dev/null; then echo "purge left the paymentd user"; exit 1; fi
if [ -e /etc/paymentd/credentials/admin-token ]; then echo "purge left the admin token"; exit 1; fi
# deb-systemd-helper's records and links go with the package.
if ls /etc/systemd/system/*/paymentd.service /var/lib/systemd/deb-systemd-helper-*/paymentd.service* \
  2>/dev/null | grep -q .; then
  echo "purge left systemd links or records for paymentd.service"; exit 1
fi
echo "deb install: ok"
