#!/usr/bin/env bash
# usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR CXX
set -euo pipefail
build=$1 source=$2 cxx=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
# Only the installed prefix: no path into the source or build tree.
cmake -S "$source/examples/plugin-template" -B "$work/template" -G Ninja \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/template" >/dev/null
test -f "$work/template/max_amount_validator.so"
# ...and packages as a .deb for paymentd's plugin directory.
(cd "$work/template" && cpack -G DEB -B "$work/deb" >/dev/null)
dpkg-deb -c "$work"/deb/paymentd-plugin-max-amount_1.0.0_*.deb | grep -q ' ./usr/lib/paymentd/plugins/max_amount_validator.so$'
dpkg-deb -f "$work"/deb/paymentd-plugin-max-amount_1.0.0_*.deb Depends | grep -q 'paymentd (>= 0.1)'

mkdir -p "$work/etc"
cp "$source/config/plans.yaml" "$work/etc/plans.yaml"
echo "test-api-secret" >"$work/etc/api-secret"
echo "whsec_dGVzdC13ZWJob29rLXNlY3JldC0xMjM0NTY3OA==" >"$work/etc/webhook-secret"
cat > "$work/etc/paymentd.yaml" <<YAML
storage: "sqlite:paymentd.db"
portone:
  api_base: "https://api.portone.io"
  store_id: "store-1"
  api_secret_file: "api-secret"
  webhook_secret_files: ["webhook-secret"]
catalog: "plans.yaml"
plugins:
  directories: ["$work/template", "$work/prefix/lib/paymentd/plugins"]
  validators:
    - {plugin: max-amount, config: {max_amount: "500000"}}
  notifiers:
    admin_slack: {plugin: log}
YAML
out=$("$work/prefix/bin/paymentd" --config="$work/etc/paymentd.yaml" --check-config)
echo "$out"
grep -q "validator max-amount@1.0.0 ($work/template/max_amount_validator.so)" <<<"$out"
grep -q "notifier log@1.2.0 for admin_slack ($work/prefix/lib/paymentd/plugins/notifier_log.so)" <<<"$out"

# The same plugin with a bad config value is refused, naming the plugin.
sed -i 's/max_amount: "500000"/max_amount: "-1"/' "$work/etc/paymentd.yaml"
if err=$("$work/prefix/bin/paymentd" --config="$work/etc/paymentd.yaml" --check-config 2>&1); then
  echo "expected --check-config to fail for max_amount -1"; exit 1
fi
grep -q "plugin 'max-amount' failed to start: max_amount must be positive" <<<"$err"
echo "out-of-tree plugin: ok"
