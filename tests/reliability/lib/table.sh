#!/usr/bin/env bash
# Prints the reliability table from a results TSV (scenario, runs, passed, lost, corrupted, note): one row per
# scenario, summed over its records, sorted by name. Exit code 1 when any run failed, lost data or left a repository corrupted.
set -euo pipefail
results=$1
[ -s "$results" ] || { echo "no reliability results in $results"; exit 1; }
awk -F'\t' '
  { if (!($1 in runs)) order[n++] = $1; runs[$1] += $2; passed[$1] += $3; lost[$1] += $4; bad[$1] += $5 }
  END {
    printf "%-58s %10s %10s %10s %12s\n", "scenario", "runs", "passed", "data lost", "repo corrupt"
    status = 0
    # Rows by scenario name, so each area (crash, corruption, faults, fuzz, ...) reads together.
    for (i = 1; i < n; i++) { s = order[i]; for (j = i - 1; j >= 0 && order[j] > s; j--) order[j + 1] = order[j]; order[j + 1] = s }
    for (i = 0; i < n; i++) {
      s = order[i]
      printf "%-58s %10d %10d %10d %12d\n", s, runs[s], passed[s], lost[s], bad[s]
      if (passed[s] != runs[s] || lost[s] > 0 || bad[s] > 0) status = 1
    }
    exit status
  }' "$results"
