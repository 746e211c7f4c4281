#!/usr/bin/env bash
# usage: deb_test.sh BUILD_DIR
# Builds the .deb packages, checks what they declare and contain, unpacks the
# daemon into a scratch root and runs it from there, and verifies the unit.
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb=$(ls "$work"/out/paymentd_*_amd64.deb)
dev=$(ls "$work"/out/paymentd-dev_*_all.deb)

info=$(dpkg-deb -I "$deb")
for dep in adduser libpocofoundation80 libpoconet80 libyaml-cpp0.7 libsystemd0 libstdc++6; do
  grep -q "^ Depends:.*$dep" <<<"$info" || fail "Depends lacks $dep"
done
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
[ "$conffiles" = $'/etc/paymentd/paymentd.yaml\n/etc/paymentd/plans.yaml' ] || fail "conffiles: $conffiles"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q 'adduser --system --group' || fail "postinst creates no user"

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in ./usr/bin/paymentd ./lib/systemd/system/paymentd.service ./etc/paymentd/paymentd.yaml \
  ./usr/lib/paymentd/plugins/validator_amount.so ./usr/lib/paymentd/plugins/processor_first_billing.so \
  ./usr/share/man/man8/paymentd.8.gz ./usr/share/doc/paymentd/copyright \
  ./usr/share/doc/paymentd/changelog.Debian.gz ./usr/share/doc/paymentd/operations.md \
  ./usr/share/doc/paymentd/operators.md ./usr/share/doc/paymentd/events.md; do
  grep -qx "$path" <<<"$contents" || fail "$deb lacks $path"
done
grep -q '^./usr/include' <<<"$contents" && fail "the daemon package ships SDK headers"
grep -q 'paymentd-failpoints' <<<"$contents" && fail "the daemon package ships the test-only paymentd-failpoints"
dev_contents=$(dpkg-deb -c "$dev" | awk '{print $6}')
for path in ./usr/include/paymentd/plugin.h ./usr/lib/cmake/paymentd-plugin-api/paymentd-plugin-api-config.cmake; do
  grep -qx "$path" <<<"$dev_contents" || fail "$dev lacks $path"
done

# Run the unpacked daemon: its plugins are found next to it, its packaged config checks.
root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/paymentd" --version | grep -q '^paymentd ' || fail "--version"
# Shipped stripped, as Debian does (lintian: unstripped-binary-or-object).
for binary in "$root/usr/bin/paymentd" "$root"/usr/lib/paymentd/plugins/*.so; do
  readelf -S "$binary" | grep -q '\.debug_info' && fail "$binary is not stripped"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q 'deb-systemd-helper' || fail "postinst bypasses deb-systemd-helper"
sed "s|/usr/lib/paymentd/plugins|$root/usr/lib/paymentd/plugins|; s|/var/lib/paymentd|$work/state|" \
  "$root/etc/paymentd/paymentd.yaml" >"$root/etc/paymentd/test.yaml"
mkdir -p "$work/credentials"
echo "test-api-secret" >"$work/credentials/portone-api-secret"
echo "whsec_dGVzdC13ZWJob29rLXNlY3JldC0xMjM0NTY3OA==" >"$work/credentials/portone-webhook-secret"
echo "test-admin-token-0123456789" >"$work/credentials/admin-token"  # postinst makes the real one
"$root/usr/bin/paymentd" --credentials-dir="$work/credentials" \
  --config="$root/etc/paymentd/test.yaml" --check-config >"$work/check.out" || { cat "$work/check.out"; fail "check-config"; }
grep -q "processor first-billing@1.2.0 for FIRST_BILLING" "$work/check.out" || fail "plugins not listed"

# The unit, pointed at the unpacked files, passes systemd's own checks.
sed "s|/usr/bin/paymentd|$root/usr/bin/paymentd|g; s|/etc/paymentd/paymentd.yaml|$root/etc/paymentd/paymentd.yaml|g" \
  "$root/lib/systemd/system/paymentd.service" >"$work/paymentd.service"
systemd-analyze verify "$work/paymentd.service"
grep -q '^Type=notify$' "$work/paymentd.service" || fail "unit is not Type=notify"
echo "packages: ok"
