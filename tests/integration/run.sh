#!/usr/bin/env bash
# Runs every integration suite (tests/integration/suites/*.sh) against the built pgvault binary.
# Each suite defines functions named test_*; each runs in its own subshell with a fresh scratch directory.
# Prints one line per test and closes with "N passed, N failed, N skipped" (exit code 77 = not applicable).
# Usage: tests/integration/run.sh [path/to/pgvault] [suite-name-filter]
# Environment: SUITES_DIR (default: suites/ beside this script; the reliability runner passes its scenarios),
#   JOBS (suites run at once, default 2: most of a test's time is PostgreSQL start-up, checkpoints and fsync, so two
#   suites overlap well on two cores; each test has its own scratch directory, ports, lock and log paths).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export VAULT_BIN=$(realpath "${1:-.build/debug/pgvault}")
filter=${2:-}
suites_dir=${SUITES_DIR:-$here/suites}
jobs=${JOBS:-2}
source "$here/lib/harness.sh"

# run_suite FILE COUNTS: runs one suite's tests one after another, printing a line per test; writes
# "passed failed skipped" and then the failed test names to COUNTS.
run_suite() {
  local suite=$1 counts=$2 name tests test scratch log start rc secs passed=0 failed=0 skipped=0 failures=()
  name=$(basename "$suite" .sh)
  tests=$(bash -c "source '$here/lib/harness.sh'; source '$suite'; declare -F" | awk '{print $3}' | grep '^test_' || true)
  for test in $tests; do
    scratch=$(mktemp -d /tmp/pgvault-it.XXXXXX)
    chmod 755 "$scratch"
    log="$scratch/test.log"
    start=$(date +%s)
    ( cd "$scratch" && export SCRATCH="$scratch" && source "$here/lib/harness.sh" && source "$suite" \
        && set -e && "$test" ) >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    ( source "$here/lib/harness.sh"; source "$suite"; declare -F suite_cleanup >/dev/null && SCRATCH="$scratch" suite_cleanup ) >/dev/null 2>&1 || true
    if [ $rc -eq 77 ]; then
      skipped=$((skipped + 1)); echo "skip $name/$test (${secs}s): $(tail -1 "$log")"
    elif [ $rc -eq 0 ]; then
      passed=$((passed + 1)); echo "ok   $name/$test (${secs}s)"
    else
      failed=$((failed + 1)); failures+=("$name/$test"); echo "FAIL $name/$test (${secs}s) — log follows"
      sed 's/^/    | /' "$log" | tail -60
    fi
    rm -rf "$scratch"
  done
  { echo "$passed $failed $skipped"; printf '%s\n' "${failures[@]}"; } >"$counts"
}

# Largest suite files first: a rough proxy for the longest suites, so the last one to start is a short one.
suites=()
while read -r _ suite; do
  name=$(basename "$suite" .sh)
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  suites+=("$suite")
done < <(for f in "$suites_dir"/*.sh; do echo "$(stat -c %s "$f") $f"; done | sort -rn)

work=$(mktemp -d /tmp/pgvault-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ "$jobs" -le 1 ]; then
  for suite in "${suites[@]}"; do run_suite "$suite" "$work/$(basename "$suite" .sh).counts"; done
else
  # Each suite's lines are held in a file and printed whole when it ends, so suites never interleave.
  running=0
  for suite in "${suites[@]}"; do
    if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
    name=$(basename "$suite" .sh)
    ( run_suite "$suite" "$work/$name.counts" >"$work/$name.out" 2>&1; cat "$work/$name.out" ) &
    running=$((running + 1))
  done
  wait
fi

passed=0; failed=0; skipped=0; failures=()
for counts in "$work"/*.counts; do
  [ -e "$counts" ] || continue
  read -r p f s < "$counts"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  while read -r line; do [ -n "$line" ] && failures+=("$line"); done < <(tail -n +2 "$counts")
done
echo
[ $failed -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] && [ ${#suites[@]} -gt 0 ]
