#!/usr/bin/env bash
# Builds paymentd and runs it on the embedded default (config/paymentd.yaml: an
# SQLite file under run/, the in-process lock) beside the local PortOne sandbox.
# Ctrl-C stops both. docs/demo.md shows a payment going through.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)"
mkdir -p run
build/bin/portone-sandbox --port=8090 >run/sandbox.log 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
build/bin/paymentd --config=config/paymentd.yaml --check-config
echo "paymentd: http://127.0.0.1:8080/healthz   sandbox: http://127.0.0.1:8090 (log in run/sandbox.log)"
build/bin/paymentd --config=config/paymentd.yaml
