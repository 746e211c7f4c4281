#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan in
# build-fuzz/, then runs each for SECONDS on a copy of its seed corpus
# (tests/fuzz/corpus/<target>/). Exits non-zero when a target finds a crash, a
# leak, undefined behaviour or a hang; the input that did it is left in
# build-fuzz/findings/<target>/ (reproduce: build-fuzz/bin/<target> FILE).
#   scripts/fuzz.sh 60
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:?usage: fuzz.sh SECONDS}
build=build-fuzz
targets=(fuzz_webhook fuzz_payment_json fuzz_config fuzz_http_request fuzz_payment_id)

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPAYMENTD_FUZZ=ON -DPAYMENTD_BUILD_TESTS=OFF -DPAYMENTD_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  findings="$build/findings/$target"
  rm -rf "$corpus" "$findings" && mkdir -p "$corpus" "$findings"
  cp tests/fuzz/corpus/"$target"/* "$corpus"/
  log="$build/$target.log"
  if "$build/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=8192 -print_final_stats=1 -artifact_prefix="$findings/" \
      "$corpus" tests/fuzz/corpus/"$target" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $target: ${runs:-?} executions in ${seconds} s, no finding"
  else
    echo "fuzz: $target: FINDING (log: $log, input: $findings/)" >&2
    tail -n 40 "$log" >&2
    failed=1
  fi
done
exit "$failed"
