# Results of the reliability scenarios. Source from a scenario file (after tests/integration/lib/cluster.sh).
# Each scenario function runs its cases and calls rel_record once per case; tests/reliability/run.sh sums the records
# into the table: scenario, runs, passed, data lost, repositories corrupted.
#
# Environment set by tests/reliability/run.sh:
#   REL_MODE      ci | full
#   REL_POINTS    kill points per command (3 in ci, 20 in full)
#   REL_RESULTS   the TSV file the records are appended to

REL_MODE=${REL_MODE:-ci}
REL_POINTS=${REL_POINTS:-3}

# rel_record SCENARIO RUNS PASSED LOST CORRUPTED [NOTE]: appends one record. RUNS/PASSED count cases; LOST is the
# number of runs that lost data (a committed row, an archived WAL segment or a backup missing or wrong); CORRUPTED the
# number that left a repository failing verify. A scenario whose cases failed must still exit non-zero (fail).
rel_record() {
  local scenario=$1 runs=$2 passed=$3 lost=$4 corrupted=$5 note=${6:-}
  [ -n "${REL_RESULTS:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$runs" "$passed" "$lost" "$corrupted" "$note" >>"$REL_RESULTS"
}

# rel_seed: a seed for this run's random choices (kill points, bytes to flip), printed so a failure can be replayed
# with REL_SEED=N.
rel_seed() {
  REL_SEED=${REL_SEED:-$(( $(date +%s%N) % 100000 ))}
  RANDOM=$REL_SEED
  echo "seed $REL_SEED"
}
