#!/usr/bin/env bash
# Runs the reliability scenarios (tests/reliability/scenarios/*.sh) against the built binary through the integration
# runner, then prints the table: scenario, runs, passed, data lost, repositories corrupted.
# Usage: tests/reliability/run.sh [path/to/pgvault] [scenario-file-filter]
# Environment: REL_MODE=ci (default: 3 kill points per command) or full (20); REL_RESULTS: a TSV to append to (the
#   Makefile passes the one the Swift fuzz tests wrote, so their rows join the table).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-.build/debug/pgvault}
export REL_MODE=${REL_MODE:-ci}
if [ "$REL_MODE" == full ]; then export REL_POINTS=${REL_POINTS:-20}; else export REL_POINTS=${REL_POINTS:-3}; fi
if [ -z "${REL_RESULTS:-}" ]; then
  REL_RESULTS=$(mktemp /tmp/pgvault-reliability.XXXXXX.tsv)
fi
export REL_RESULTS=$(realpath "$REL_RESULTS")
echo "reliability suite ($REL_MODE: $REL_POINTS kill points per command), results in $REL_RESULTS"
SUITES_DIR="$here/scenarios" "$here/../integration/run.sh" "$bin" "${2:-}"
rc=$?
echo
echo "reliability, measured $(date -u +%Y-%m-%d) ($REL_MODE)"
"$here/lib/table.sh" "$REL_RESULTS" || rc=1
exit $rc
