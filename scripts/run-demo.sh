#!/usr/bin/env bash
# Builds paymentd and runs it in the foreground on the embedded default:
# config/paymentd.yaml, an SQLite file and secrets under run/. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)"
mkdir -p run/secrets
# Development secrets for a local PortOne sandbox; production reads its own files.
[ -f run/secrets/portone-api-secret ] || echo "sandbox-api-secret" >run/secrets/portone-api-secret
[ -f run/secrets/portone-webhook-secret ] ||
  echo "whsec_$(head -c 32 /dev/urandom | base64)" >run/secrets/portone-webhook-secret
chmod 600 run/secrets/*
build/bin/paymentd --config=config/paymentd.yaml --check-config
echo "paymentd: http://127.0.0.1:8080/healthz"
exec build/bin/paymentd --config=config/paymentd.yaml
