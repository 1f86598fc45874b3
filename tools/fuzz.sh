#!/usr/bin/env bash
# Fuzzes every parser attnx reads untrusted files with (tests/fuzz/fuzz_targets.cpp):
#   tools/fuzz.sh [SECONDS] [TARGET...]      (default: 600 s each, every target)
# Builds the libFuzzer harnesses with Debian's clang, ASan and UBSan in build-fuzz/ (not part of
# the default build), runs as many at once as there are cores, each for SECONDS, starting from
# its kept corpus tests/fuzz/corpus/<target>/. Afterwards the inputs that found new coverage are
# merged into that corpus, and every crash is copied to tests/fuzz/regressions/<target>/, which
# the normal suite runs (test_fuzz_corpus). Prints executions per second and the findings.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
all=(safetensors config tokenizer examples npy torch stats run)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: needs clang and libFuzzer: tools/install-deps.sh --fuzz" >&2
  exit 1
fi

build=build-fuzz
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DATTNX_FUZZ=ON -DATTNX_WITH_QT=OFF -DATTNX_BUILD_TESTS=OFF -DATTNX_BUILD_BENCH=OFF \
    -DATTNX_BUILD_TOOLS=OFF >/dev/null
fi
cmake --build "$build" --target fuzzers

# Leaks are not findings here: libtorch and the tokenizer keep process-lifetime caches.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
jobs=$(nproc)
run_one() {
  local t=$1 work="$build/corpus/$1" art="$build/artifacts/$1/"
  mkdir -p "$work" "$art" "tests/fuzz/corpus/$t"
  "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=3072 -timeout=30 \
    -print_final_stats=1 -artifact_prefix="$art" "$work" "tests/fuzz/corpus/$t" \
    >"$build/fuzz_$t.log" 2>&1 || true
}
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

printf '\n%-12s %12s %10s %8s %s\n' target executions "exec/s" corpus findings
status=0
for t in "${targets[@]}"; do
  log="$build/fuzz_$t.log"
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -n1)
  rate=$(sed -nE 's/.*exec\/s: *([0-9]+).*/\1/p' "$log" | tail -n1)
  # The kept corpus becomes the smallest set of its inputs and the new ones that covers all
  # that they cover (libFuzzer's merge into an empty folder).
  rm -rf "$build/merged/$t" && mkdir -p "$build/merged/$t"
  if "$build/fuzz/fuzz_$t" -merge=1 "$build/merged/$t" "tests/fuzz/corpus/$t" "$build/corpus/$t" \
       >"$build/merge_$t.log" 2>&1 && [ -n "$(ls "$build/merged/$t")" ]; then
    rm -rf "tests/fuzz/corpus/$t" && mv "$build/merged/$t" "tests/fuzz/corpus/$t"
  fi
  findings=0
  for a in "$build/artifacts/$t/"*; do
    [ -f "$a" ] || continue
    findings=$((findings + 1))
    mkdir -p "tests/fuzz/regressions/$t"
    cp "$a" "tests/fuzz/regressions/$t/$(basename "$a")"
  done
  [ "$findings" -eq 0 ] || status=1
  printf '%-12s %12s %10s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" \
    "$(ls "tests/fuzz/corpus/$t" | wc -l)" "$findings"
done
[ "$status" -eq 0 ] || echo "fuzz: findings copied to tests/fuzz/regressions/ (logs in $build/)" >&2
exit "$status"
