# Full, incremental and differential backups of a pgbench-loaded PostgreSQL 15, each restored, started and compared
# with the source data (row counts and md5 of the ordered rows of every table). Repeated over repository modes.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# restore_set_and_compare LABEL EXPECTED_FINGERPRINT NAME: restores LABEL, stopping as soon as it is consistent, into a
# new directory, starts it and compares its data.
restore_set_and_compare() {
  local label=$1 expected=$2 dir port
  dir=$(new_pgdata "$3"); port=$(free_port)
  restore_to "$dir" --set="$label" --type=immediate --target-action=promote
  assert_file "$dir/PG_VERSION"
  assert_file "$dir/recovery.signal"
  grep -q "archive-get" "$dir/postgresql.auto.conf" || fail "restore_command missing from postgresql.auto.conf"
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$expected" "$(fingerprint "$port")"
  stop_restored "$dir"
}

# full_incr_diff MODE DEPTH: DEPTH=all takes full, incr and diff and restores each of them plus the latest state;
# DEPTH=subset takes a full and an incr and restores the incr and (to the end of the archive) the latest state.
full_incr_diff() {
  local mode=$1 depth=$2 fp_full fp_incr fp_diff fp_end full incr diff dir port
  setup_source "$mode" 2
  make_test_table marks
  insert_batch marks full 1 1000

  backup full; full=$LAST_LABEL; fp_full=$(fingerprint)
  [[ "$full" == *F ]] || fail "full label $full does not end in F"

  pgbench_run -t 300
  insert_batch marks incr 1001 2000
  backup incr; incr=$LAST_LABEL; fp_incr=$(fingerprint)
  [[ "$incr" == "${full}_"*I ]] || fail "incr label $incr does not follow $full"
  assert_ne "$fp_incr" "$fp_full" "(the incr must see new data)"

  if [ "$depth" == all ]; then
    pgbench_run -t 300
    insert_batch marks diff 2001 3000
    backup diff; diff=$LAST_LABEL; fp_diff=$(fingerprint)
    [[ "$diff" == "${full}_"*D ]] || fail "diff label $diff does not follow $full"
    assert_eq "$(info_json '[b["type"] for b in d[0]["backup"]]')" "['full', 'incr', 'diff']"
    # An incr references its prior's files; a diff references only the full.
    assert_eq "$(info_json "'$full' in (d[0]['backup'][1]['reference'] or [])")" True "(incr references the full)"
    assert_eq "$(info_json "sorted(set(d[0]['backup'][2]['reference'] or []))")" "['$full']" "(diff references only the full)"
  fi

  # Writes after the last backup: a default restore of the latest set replays the archive up to here.
  pgbench_run -t 200
  insert_batch marks after 3001 3500
  fp_end=$(fingerprint)
  wal_switch_archived

  if [ "$depth" == all ]; then
    restore_set_and_compare "$full" "$fp_full" r-full
    restore_set_and_compare "$diff" "$fp_diff" r-diff
  fi
  restore_set_and_compare "$incr" "$fp_incr" r-incr

  # Default type, latest set: recovery runs to the end of the archived WAL.
  dir=$(new_pgdata r-latest); port=$(free_port)
  restore_to "$dir"
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp_end" "$(fingerprint "$port")"
  assert_eq "$(batches marks "$port")" "after:500,$( [ "$depth" == all ] && echo diff:1000,)full:1000,incr:1000"
  stop_restored "$dir"
}

test_full_incr_diff_plain() { full_incr_diff plain all; }
test_full_incr_diff_enc_lz4() { full_incr_diff enc-lz4 all; }
# The subset: zstd and gz, process-max 1 and 4, paired to keep the run short.
test_full_incr_gz_process_max_1() { full_incr_diff gz-pm1 subset; }
test_full_incr_enc_zst_process_max_4() { full_incr_diff enc-zst-pm4 subset; }

# A diff or incr with no prior full becomes a full, with a warning.
test_incr_without_prior_becomes_full() {
  setup_source plain 1
  run_tool --stanza=$STANZA --type=incr backup
  assert_rc 0
  assert_log_contains "no prior backup exists"
  assert_eq "$(info_json 'd[0]["backup"][0]["type"]')" full
  [[ "$(newest_label)" == *F ]] || fail "label of the promoted backup is not a full label"
}

# pgvault only: the emergency procedure's `backup --type=full --force` on a live cluster is accepted; it overrides a
# stop file and a stale lock left by a dead process, says so, and the backup restores. pgBackRest 2.45 rejects
# --force without --no-online.
test_force_full_backup_on_live_cluster() {
  pgvault_only "pgBackRest 2.45 rejects backup --force on a live cluster" && return 0
  local dir port
  setup_source enc-lz4 1
  make_test_table marks
  insert_batch marks A 1 1000
  FP=$(fingerprint)
  as_pg touch "$SCRATCH/lock/$STANZA.stop"
  as_pg sh -c "printf '{\"execId\":\"999999-0badc0de\",\"pctCplt\":0,\"pid\":999999}' >'$SCRATCH/lock/$STANZA-backup.lock'"
  run_tool --stanza=$STANZA --type=full --force backup
  assert_rc 0
  assert_log_contains "$STANZA.stop"
  [[ "$(newest_label)" == *F ]] || fail "no full backup after backup --force"
  dir=$(new_pgdata r); port=$(free_port)
  restore_to "$dir" --type=immediate --target-action=promote
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  stop_restored "$dir"
}
