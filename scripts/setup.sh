#!/usr/bin/env bash
# Installs the Debian packages paymentd needs to build, test and run (idempotent).
# Debian 12 (bookworm); re-runs itself with sudo when not root.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then exec sudo "$0" "$@"; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  g++ cmake ninja-build pkg-config git ca-certificates curl \
  libpoco-dev libboost-dev libboost-filesystem-dev libyaml-cpp-dev libhiredis-dev \
  libgtest-dev libgmock-dev libpq-dev libsqlite3-dev libssl-dev \
  prometheus-cpp-dev libsystemd-dev \
  postgresql-15 redis-server clang-format dpkg-dev systemd python3-prometheus-client \
  jq sqlite3 openssl lintian prometheus >/dev/null
# clang with libFuzzer and the sanitizer runtimes, for scripts/fuzz.sh.
apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
# Node runs the PortOne SDK conformance test; keep an existing install (it may bundle npm).
command -v npm >/dev/null || apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
echo "setup: packages installed"
