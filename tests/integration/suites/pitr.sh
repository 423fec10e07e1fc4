# Point-in-time restore by time, xid, lsn, name and immediate, and the three target actions (pause, promote, shutdown).
# Batch A is committed, the targets are noted, batch B is committed; each restore must hold exactly batch A.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# assert_exactly_a PORT: the marks table holds exactly batch A, and pgbench data is that of the target.
assert_exactly_a() {
  assert_eq "$(batches marks "$1")" "A:1000" "(batches on port $1)"
  assert_eq "$(psql_q "SELECT count(*) FROM marks WHERE id > 1000" "$1")" 0
  assert_fingerprint_eq "$FP_A" "$(fingerprint "$1")"
}

pitr() {
  local mode=$1 full incr xid lsn target_time dir port
  setup_source "$mode" 1
  make_test_table marks
  backup full; full=$LAST_LABEL
  FP_FULL=$(fingerprint)

  # Batch A, in one transaction whose xid is the xid target.
  xid=$(psql_q "INSERT INTO marks SELECT g, 'A', md5(g::text) FROM generate_series(1, 1000) g; SELECT txid_current()")
  [[ "$xid" =~ ^[0-9]+$ ]] || fail "no xid from batch A: $xid"
  FP_A=$(fingerprint)
  lsn=$(psql_q "SELECT pg_current_wal_insert_lsn()")
  psql_q "SELECT pg_create_restore_point('before_b')" >/dev/null
  sleep 1
  target_time=$(psql_q "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
  sleep 1
  echo "targets: xid=$xid lsn=$lsn name=before_b time=$target_time"

  # Batch B, then an incr (ends after every target), then batch C; all WAL archived.
  insert_batch marks B 1001 2000
  pgbench_run -t 200
  backup incr; incr=$LAST_LABEL
  insert_batch marks C 2001 3000
  wal_switch_archived

  # Time, default target action (pause). The newest set that ended before the target is the full.
  dir=$(new_pgdata r-time); port=$(free_port)
  restore_to "$dir" --type=time --target="$target_time"
  assert_log_contains "$full"
  [[ "$OUT$ERR" != *"$incr"* ]] || fail "restore by time chose $incr, which ended after the target"
  grep -q "recovery_target_time = '$target_time'" "$dir/postgresql.auto.conf" || fail "no recovery_target_time"
  start_restored "$dir" "$port" pause
  assert_eq "$(psql_q "SELECT pg_is_wal_replay_paused()" "$port")" t
  assert_exactly_a "$port"
  stop_restored "$dir"

  # Xid, promote: the cluster leaves recovery at the target and accepts writes.
  dir=$(new_pgdata r-xid); port=$(free_port)
  restore_to "$dir" --set="$full" --type=xid --target="$xid" --target-action=promote
  start_restored "$dir" "$port" promote
  assert_exactly_a "$port"
  psql_q "INSERT INTO marks VALUES (5000, 'W', 'written after promote')" "$port" >/dev/null
  assert_eq "$(psql_q "SELECT payload FROM marks WHERE id = 5000" "$port")" "written after promote"
  stop_restored "$dir"

  # Xid, exclusive: recovery stops just before batch A's commit.
  dir=$(new_pgdata r-xid-excl); port=$(free_port)
  restore_to "$dir" --set="$full" --type=xid --target="$xid" --target-exclusive --target-action=promote
  start_restored "$dir" "$port" promote
  assert_eq "$(psql_q "SELECT count(*) FROM marks" "$port")" 0 "(exclusive xid target)"
  assert_fingerprint_eq "$FP_FULL" "$(fingerprint "$port")"
  stop_restored "$dir"

  # Lsn, shutdown: the server stops by itself at the target. Restarted with pause, it holds exactly A.
  dir=$(new_pgdata r-lsn); port=$(free_port)
  restore_to "$dir" --type=lsn --target="$lsn" --target-action=shutdown
  assert_log_contains "$full"
  start_restored "$dir" "$port" shutdown
  grep -q "shutdown at recovery target" "$dir.log" || fail "server did not log a shutdown at the recovery target"
  "$PG_BIN/pg_controldata" "$dir" | grep -q "shut down in recovery" || fail "pg_control state is not 'shut down in recovery'"
  echo "recovery_target_action = 'pause'" >>"$dir/postgresql.auto.conf"
  start_restored "$dir" "$port" pause
  assert_exactly_a "$port"
  stop_restored "$dir"

  # Name (pg_create_restore_point), pause.
  dir=$(new_pgdata r-name); port=$(free_port)
  restore_to "$dir" --set="$full" --type=name --target=before_b
  start_restored "$dir" "$port" pause
  grep -q 'recovery stopping at restore point "before_b"' "$dir.log" || fail "recovery did not stop at the restore point"
  assert_exactly_a "$port"
  stop_restored "$dir"

  # Immediate: consistent as soon as the full's WAL is replayed, so none of the later batches.
  dir=$(new_pgdata r-immediate); port=$(free_port)
  restore_to "$dir" --set="$full" --type=immediate --target-action=promote
  grep -q "recovery_target = 'immediate'" "$dir/postgresql.auto.conf" || fail "no recovery_target = 'immediate'"
  start_restored "$dir" "$port" promote
  assert_eq "$(psql_q "SELECT count(*) FROM marks" "$port")" 0 "(immediate)"
  assert_fingerprint_eq "$FP_FULL" "$(fingerprint "$port")"
  stop_restored "$dir"
}

test_pitr_plain() { pitr plain; }
test_pitr_enc_lz4() { pitr enc-lz4; }
