#!/usr/bin/env bash
# Coverage-guided fuzzing of every target in Fuzz/FuzzTargets.swift with libFuzzer, SECONDS each, two at a time
# (one per core). Builds `pgvault-fuzz` with `-sanitize=fuzzer` into .build-fuzz (every dependency is rebuilt there
# once, about 5 minutes), lists the targets through the ordinary build's replayer, and appends one record per target
# to REL_RESULTS: runs = inputs executed, passed = runs when libFuzzer found no crash. Crash inputs are kept in
# .build-fuzz/crashes/TARGET/ for `pgvault-fuzz TARGET FILE` replay.
# Usage: tests/reliability/fuzz.sh [SECONDS]   (default 600)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
source tests/reliability/lib/record.sh
swift build --product pgvault-fuzz >/dev/null
swift build --scratch-path .build-fuzz --product pgvault-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >/dev/null
targets=$(.build/debug/pgvault-fuzz 2>/dev/null | sed -n 's/.*targets: //p' || true)
[ -n "$targets" ] || { echo "no fuzz targets listed by .build/debug/pgvault-fuzz" >&2; exit 1; }

# fuzz_one TARGET: runs libFuzzer on TARGET for $seconds and records the result.
fuzz_one() {
  local target=$1 dir=.build-fuzz/runs/$1 runs rc
  mkdir -p "$dir/corpus" ".build-fuzz/crashes/$target"
  set +e
  PGVAULT_FUZZ_TARGET=$target .build-fuzz/debug/pgvault-fuzz "$dir/corpus" -max_total_time="$seconds" \
    -print_final_stats=1 -artifact_prefix=".build-fuzz/crashes/$target/" >"$dir/log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  runs=${runs:-0}
  if [ $rc -eq 0 ]; then
    rel_record "fuzz (libFuzzer, ${seconds}s): $target" "$runs" "$runs" 0 0
    echo "ok   fuzz $target: $runs inputs"
  else
    rel_record "fuzz (libFuzzer, ${seconds}s): $target" "$runs" "$(( runs > 0 ? runs - 1 : 0 ))" 0 0 "crash"
    echo "FAIL fuzz $target: crash after $runs inputs, see $dir/log"; tail -30 "$dir/log"
    return 1
  fi
}

status=0
set -- $targets
while [ $# -gt 0 ]; do
  fuzz_one "$1" & first=$!
  second=""
  if [ $# -gt 1 ]; then fuzz_one "$2" & second=$!; fi
  wait $first || status=1
  [ -z "$second" ] || wait "$second" || status=1
  shift; [ $# -gt 0 ] && shift
done
exit $status
