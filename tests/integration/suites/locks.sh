# Locks, stop and start with real backups (issue 5 item 5): two concurrent backups of one stanza, the second fails at
# once with 050 naming the holder's pid while the first completes; a stopped stanza refuses backup with 062 and
# backs up again after start.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

test_second_concurrent_backup_gets_050_and_the_first_completes() {
  setup_source plain 5
  local first holder
  # The first backup (scale 5, process-max 1) runs long enough to be caught holding the lock.
  runuser -u "$PG_OS_USER" -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --type=full \
    --process-max=1 backup >"$SCRATCH/first.out" 2>&1 &
  first=$!
  holder=$(wait_backup_lock)
  run_tool --stanza=$STANZA --type=full backup
  assert_rc 50
  # pgvault names the holder's pid; pgBackRest 2.45 only says the lock is taken.
  is_pgbackrest || assert_err_contains "held by process $holder"
  wait "$first" || { cat "$SCRATCH/first.out"; fail "the first backup failed while the second was refused"; }
  assert_eq "$(info_json 'len(d[0]["backup"])')" 1 "(exactly the first backup is in backup.info)"
  run_tool --stanza=$STANZA verify
  assert_rc 0
}

test_stop_refuses_backup_with_062_and_start_lets_it_run() {
  setup_source plain 1
  tool_ok --stanza=$STANZA stop
  run_tool --stanza=$STANZA --type=full backup
  assert_rc 62
  assert_err_contains "stop file exists for stanza $STANZA"
  assert_eq "$(info_json 'len(d[0].get("backup", []))')" 0
  tool_ok --stanza=$STANZA start
  backup full
  assert_eq "$(info_json 'len(d[0]["backup"])')" 1
}
