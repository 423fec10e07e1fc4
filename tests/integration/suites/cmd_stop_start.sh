# stop and start: the stop file under lock-path, pgBackRest's messages for repeated stop/start, the 062 it causes
# (per stanza and for all stanzas), and stop --force ending the process that holds a stanza lock.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() {
  cluster_cleanup
  [ -f "$SCRATCH/holder.pid" ] && kill "$(cat "$SCRATCH/holder.pid")" 2>/dev/null || true
}

lock_setup() {
  mkdir -p "$SCRATCH/repo" "$SCRATCH/log" "$SCRATCH/lock"
  chown postgres: "$SCRATCH" "$SCRATCH/repo" "$SCRATCH/log" "$SCRATCH/lock"
  PGDATA_SRC=$SCRATCH/pg; PGPORT_SRC=1
  declare -gA CONF_GLOBAL=(); declare -gA CONF_STANZA=()
  write_config
}

test_stop_and_start_for_one_stanza() {
  lock_setup
  tool_ok --stanza=$STANZA stop
  assert_file "$SCRATCH/lock/$STANZA.stop"
  assert_eq "$(stat -c %s "$SCRATCH/lock/$STANZA.stop")" "0"
  tool_ok --stanza=$STANZA stop
  assert_log_contains "stop file already exists for stanza $STANZA"
  # A stopped stanza refuses stanza-create with 062 before touching anything.
  run_tool --stanza=$STANZA stanza-create
  assert_rc 62
  assert_log_contains "stop file exists for stanza $STANZA"
  # Another stanza is not affected by this stop file.
  run_tool --stanza=other stanza-create
  [ "$RC" -ne 62 ] || fail "stanza 'other' was stopped too"
  tool_ok --stanza=$STANZA start
  assert_no_file "$SCRATCH/lock/$STANZA.stop"
  tool_ok --stanza=$STANZA start
  assert_log_contains "stop file does not exist for stanza $STANZA"
}

test_stop_without_stanza_stops_all() {
  lock_setup
  tool_ok stop
  assert_file "$SCRATCH/lock/all.stop"
  run_tool --stanza=any --pg1-path="$SCRATCH/pg" stanza-upgrade
  assert_rc 62
  assert_log_contains "stop file exists for all stanzas"
  tool_ok stop
  assert_log_contains "stop file already exists for all stanzas"
  tool_ok start
  assert_no_file "$SCRATCH/lock/all.stop"
  tool_ok start
  assert_log_contains "stop file does not exist"
}

test_stop_force_terminates_the_lock_holder() {
  lock_setup
  local lock=$SCRATCH/lock/$STANZA-backup.lock
  # A process holding the backup lock the way pgBackRest and pgvault do: flock(2) plus its pid as JSON.
  runuser -u postgres -- bash -c "exec 9<>'$lock'; flock -x 9; echo \"{\\\"execId\\\":\\\"\$\$-00000001\\\",\\\"pid\\\":\$\$}\" >&9; exec sleep 120" &
  local pid=$!
  echo $pid >"$SCRATCH/holder.pid"
  for _ in $(seq 1 50); do grep -q pid "$lock" 2>/dev/null && break; sleep 0.1; done
  local holder; holder=$(python3 -c "import json;print(json.load(open('$lock'))['pid'])")
  tool_ok --stanza=$STANZA --force stop
  assert_log_contains "sent term signal to process $holder"
  for _ in $(seq 1 50); do kill -0 "$holder" 2>/dev/null || break; sleep 0.1; done
  ! kill -0 "$holder" 2>/dev/null || fail "lock holder $holder still running"
  assert_file "$SCRATCH/lock/$STANZA.stop"
}
