#!/usr/bin/env bash
# Builds paymentd (warnings as errors) and runs every test against real
# PostgreSQL and Redis servers started on loopback for the run.
#   scripts/run-tests.sh              # RelWithDebInfo build in build/
#   scripts/run-tests.sh --sanitize   # ASan + UBSan Debug build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
flags=(-DPAYMENTD_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-asan
  flags+=(-DPAYMENTD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  # libpq leaks on every failed connect (Poco never calls PQfinish); see tests/lsan.supp.
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi

# The PortOne conformance test runs PortOne's SDK from npm, pinned by the lock
# file; install it when it is missing or older than the lock file. No network
# or no npm fails the run here instead of skipping the test.
conformance=tests/conformance
if [ ! -f "$conformance/node_modules/.package-lock.json" ] ||
   [ "$conformance/package-lock.json" -nt "$conformance/node_modules/.package-lock.json" ]; then
  (cd "$conformance" && npm ci --no-audit --no-fund)
fi

cmake -S . -B "$build" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"

servers="$PWD/$build/test-servers"
trap 'scripts/test-servers.sh stop "$servers"' EXIT
# Assigned first, so a server that does not start stops the run (set -e) instead
# of every PostgreSQL and Redis test skipping.
server_env=$(scripts/test-servers.sh start "$servers")
eval "$server_env"

# The servers are there, so a test that finds one missing fails instead of skipping
# (set here, not only by test-servers.sh, so the run asks for them whatever started them).
export PAYMENTD_TEST_REQUIRE_SERVERS=1

junit="$PWD/$build/ctest-junit.xml"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --output-junit "$junit"
# A skipped test is one that did not prove anything: the run is not green with one.
# (The testsuite element spans several lines; ctest marks a skipped case status="notrun".)
skipped=$(tr '\n' ' ' <"$junit" | grep -o '<testsuite [^>]*>' | grep -o 'skipped="[0-9]*"' | tr -dc 0-9)
if [ -z "$skipped" ]; then
  echo "run-tests: no skipped count in $junit" >&2
  exit 1
fi
if [ "$skipped" != 0 ]; then
  echo "run-tests: $skipped test(s) skipped:" >&2
  grep -o '<testcase name="[^"]*" [^>]*status="notrun"' "$junit" |
    sed 's/<testcase name="\([^"]*\)".*/  \1/' >&2 || true
  exit 1
fi
