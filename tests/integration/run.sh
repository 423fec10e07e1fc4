#!/usr/bin/env bash
# Runs every integration suite (tests/integration/suites/*.sh) against the built pgvault binary.
# Each suite defines functions named test_*; each runs in its own subshell with a fresh scratch directory.
# Prints one line per test and closes with "N passed, N failed, N skipped" (exit code 77 = not applicable).
# Usage: tests/integration/run.sh [path/to/pgvault] [suite-name-filter]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export VAULT_BIN=$(realpath "${1:-.build/debug/pgvault}")
filter=${2:-}
source "$here/lib/harness.sh"

passed=0; failed=0; skipped=0; failures=()
for suite in "$here"/suites/*.sh; do
  name=$(basename "$suite" .sh)
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
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
      rm -rf "$scratch"
    elif [ $rc -eq 0 ]; then
      passed=$((passed + 1)); echo "ok   $name/$test (${secs}s)"
      rm -rf "$scratch"
    else
      failed=$((failed + 1)); failures+=("$name/$test"); echo "FAIL $name/$test (${secs}s) — log follows"
      sed 's/^/    | /' "$log" | tail -60
      rm -rf "$scratch"
    fi
  done
done
echo
[ $failed -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
