# pgvault restore of repositories written by the real pgBackRest 2.45: backups (full, incr, diff) are taken by
# /usr/bin/pgbackrest with archive_command = pgbackrest archive-push, and restored by the binary under test.
# Until pgvault's archive-get lands, restores point restore_command at pgbackrest (--recovery-option).
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

PGBR=/usr/bin/pgbackrest

# pgbr ARGS...: the real pgBackRest as postgres with the scratch config; requires success.
pgbr() {
  local out
  out=$(runuser -u "$PG_OS_USER" -- "$PGBR" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA "$@" 2>&1) || {
    echo "$out"; fail "pgbackrest $* failed"; }
  echo "$out" >>"$SCRATCH/pgbr.log"
}

# pgbr_label: newest backup label according to pgBackRest.
pgbr_label() {
  runuser -u "$PG_OS_USER" -- "$PGBR" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --output=json info |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["backup"][-1]["label"])'
}

# archive_get_option DIR: the restore_command override for a cluster restored into DIR: none when pgvault has
# archive-get, else pgbackrest's archive-get with pg1-path=DIR.
archive_get_option() {
  local rc=0
  "$VAULT_BIN" --stanza=probe --repo1-path=/nonexistent --pg1-path=/nonexistent archive-get 000000010000000000000001 "$SCRATCH/.probe" \
    >/dev/null 2>&1 || rc=$?
  [ "$rc" -ne 201 ] && return 0   # 201: not implemented yet
  echo "--recovery-option=restore_command=$PGBR --config=$SCRATCH/pgbackrest.conf --pg1-path=$1 --stanza=$STANZA archive-get %f \"%p\""
}

# pgbr_source MODE: a cluster archiving through pgBackRest, stanza created by pgBackRest, pgbench loaded.
pgbr_source() {
  cluster_init
  repo_mode "$1"
  sed -i "s|^archive_command = .*|archive_command = '$PGBR --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p'|" \
    "$PGDATA_SRC/postgresql.conf"
  cluster_start
  pgbr stanza-create
  pgbench_init 1
}

# vault_restore DIR ARGS...: pgvault restore into DIR (must succeed); restore_command falls back to pgbackrest.
vault_restore() {
  local dir=$1; shift
  local rc_opt; rc_opt=$(archive_get_option "$dir")
  if [ -n "$rc_opt" ]; then
    tool_ok --stanza=$STANZA --pg1-path="$dir" "$rc_opt" "$@" restore
  else
    tool_ok --stanza=$STANZA --pg1-path="$dir" "$@" restore
  fi
}

chain() {
  local dir port fp_full fp_incr fp_diff full incr diff
  pgbr_source "$1"
  make_test_table marks
  insert_batch marks F 1 500
  pgbr --type=full backup; full=$(pgbr_label)
  fp_full=$(fingerprint)
  insert_batch marks I 501 1000
  pgbench_run -t 300
  pgbr --type=incr backup; incr=$(pgbr_label)
  fp_incr=$(fingerprint)
  insert_batch marks D 1001 1500
  pgbr --type=diff backup; diff=$(pgbr_label)
  fp_diff=$(fingerprint)
  echo "sets: $full $incr $diff"

  for set in "$full" "$incr" "$diff"; do
    dir=$(new_pgdata "r-${set//[^0-9A-Z]/}"); port=$(free_port)
    vault_restore "$dir" --set="$set" --type=immediate --target-action=promote
    assert_log_contains "restore backup set $set"
    assert_no_file "$dir/backup.manifest"
    assert_no_file "$dir/tablespace_map"
    assert_file "$dir/recovery.signal"
    grep -q "^recovery_target = 'immediate'" "$dir/postgresql.auto.conf" || fail "no recovery_target in auto.conf"
    start_restored "$dir" "$port" promote
    case "$set" in
      "$full") assert_fingerprint_eq "$fp_full" "$(fingerprint "$port")" ;;
      "$incr") assert_fingerprint_eq "$fp_incr" "$(fingerprint "$port")" ;;
      "$diff") assert_fingerprint_eq "$fp_diff" "$(fingerprint "$port")" ;;
    esac
    stop_restored "$dir"
  done
}

test_chain_plain() { chain plain; }
test_chain_enc_lz4() { chain enc-lz4; }

pitr() {
  local dir port full target_time fp_a
  pgbr_source "$1"
  make_test_table marks
  pgbr --type=full backup; full=$(pgbr_label)
  insert_batch marks A 1 1000
  fp_a=$(fingerprint)
  psql_q "SELECT pg_create_restore_point('after_a')" >/dev/null
  sleep 1
  target_time=$(psql_q "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
  sleep 1
  insert_batch marks B 1001 2000
  pgbr --type=incr backup
  wal_switch_archived

  # By time: the full is the newest set that ended before the target; exactly batch A.
  dir=$(new_pgdata r-time); port=$(free_port)
  vault_restore "$dir" --type=time --target="$target_time" --target-action=promote
  assert_log_contains "restore backup set $full"
  grep -q "^recovery_target_time = '$target_time'" "$dir/postgresql.auto.conf" || fail "no recovery_target_time"
  start_restored "$dir" "$port" promote
  assert_eq "$(batches marks "$port")" "A:1000"
  assert_fingerprint_eq "$fp_a" "$(fingerprint "$port")"
  stop_restored "$dir"

  # By name, paused at the target.
  dir=$(new_pgdata r-name); port=$(free_port)
  vault_restore "$dir" --set="$full" --type=name --target=after_a
  start_restored "$dir" "$port" pause
  assert_eq "$(batches marks "$port")" "A:1000"
  stop_restored "$dir"
}

test_pitr_plain() { pitr plain; }
test_pitr_enc_lz4() { pitr enc-lz4; }

test_delta_over_modified_copy() {
  local dir port accounts tellers branches sum_accounts keep_tellers fp
  pgbr_source enc-lz4
  pgbr --type=full backup
  fp=$(fingerprint)
  accounts=$(psql_q "SELECT pg_relation_filepath('pgbench_accounts')")
  tellers=$(psql_q "SELECT pg_relation_filepath('pgbench_tellers')")
  branches=$(psql_q "SELECT pg_relation_filepath('pgbench_branches')")
  dir=$(new_pgdata r)
  vault_restore "$dir" --type=immediate --target-action=promote
  sum_accounts=$(sha1sum <"$dir/$accounts" | cut -c1-40)
  keep_tellers=$(stat -c '%i %Y' "$dir/$tellers")
  printf 'garbage' | dd of="$dir/$accounts" bs=1 seek=9000 conv=notrunc status=none
  rm "$dir/$branches"
  echo extra >"$dir/extra.txt"; mkdir -p "$dir/extra_dir"; echo x >"$dir/extra_dir/f"
  chown -R "$PG_OS_USER": "$dir"
  sleep 1.1
  vault_restore "$dir" --delta --type=immediate --target-action=promote
  assert_eq "$(sha1sum <"$dir/$accounts" | cut -c1-40)" "$sum_accounts" "(touched file fixed)"
  assert_file "$dir/$branches"
  assert_no_file "$dir/extra.txt"
  assert_no_file "$dir/extra_dir"
  assert_eq "$(stat -c '%i %Y' "$dir/$tellers")" "$keep_tellers" "(unchanged file keeps inode and mtime)"
  port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
  stop_restored "$dir"
}

test_tablespace_map() {
  local dir port oid
  pgbr_source plain
  mkdir -p "$SCRATCH/ts1"; chown "$PG_OS_USER": "$SCRATCH/ts1"
  psql_q "CREATE TABLESPACE ts1 LOCATION '$SCRATCH/ts1'" >/dev/null
  oid=$(psql_q "SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'")
  psql_q "CREATE TABLE in_ts (id int PRIMARY KEY, batch text, payload text) TABLESPACE ts1" >/dev/null
  insert_batch in_ts full 1 3000
  pgbr --type=full backup
  insert_batch in_ts incr 3001 4000
  pgbr --type=incr backup
  dir=$(new_pgdata r)
  vault_restore "$dir" --tablespace-map=ts1="$SCRATCH/ts1-restored" --type=immediate --target-action=promote
  assert_eq "$(readlink "$dir/pg_tblspc/$oid")" "$SCRATCH/ts1-restored"
  port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_eq "$(batches in_ts "$port")" "full:3000,incr:1000"
  assert_eq "$(psql_q "SELECT pg_tablespace_location($oid)" "$port")" "$SCRATCH/ts1-restored"
  psql_q "INSERT INTO in_ts SELECT g, 'later', 'x' FROM generate_series(5001, 5100) g" "$port" >/dev/null
  stop_restored "$dir"
  # Delta over the used copy: the tablespace is cleaned inside PG_15_*, its link kept, the later rows gone.
  echo stray >"$SCRATCH/ts1-restored/$(ls "$SCRATCH/ts1-restored")/stray"
  mkdir -p "$SCRATCH/ts1-restored/PG_99_other"; chown -R "$PG_OS_USER": "$SCRATCH/ts1-restored"
  vault_restore "$dir" --delta --tablespace-map=ts1="$SCRATCH/ts1-restored" --type=immediate --target-action=promote
  assert_no_file "$SCRATCH/ts1-restored/$(ls "$SCRATCH/ts1-restored" | grep PG_15)/stray"
  assert_file "$SCRATCH/ts1-restored/PG_99_other"
  start_restored "$dir" "$port" promote
  assert_eq "$(batches in_ts "$port")" "full:3000,incr:1000"
  stop_restored "$dir"
}

# A bundled, zstd-compressed repository (repo1-bundle): small files are read from bundle/<id> at their offsets.
test_bundle_zst() {
  local dir port fp
  pgbr_source zst
  conf_set repo1-bundle y
  make_test_table marks
  insert_batch marks F 1 500
  pgbr --type=full backup
  insert_batch marks I 501 700
  pgbr --type=incr backup
  fp=$(fingerprint)
  ls "$SCRATCH/repo/backup/$STANZA/$(pgbr_label)/bundle" >/dev/null || fail "pgBackRest wrote no bundle"
  dir=$(new_pgdata r); port=$(free_port)
  vault_restore "$dir" --type=immediate --target-action=promote
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
  stop_restored "$dir"
}

test_refusals() {
  local dir before
  pgbr_source plain
  pgbr --type=full backup
  before=$(repo_listing)
  # Running cluster: 038.
  run_tool --stanza=$STANZA restore
  assert_rc 38
  assert_log_contains "unable to restore while PostgreSQL is running"
  # Non-empty target without --delta: 040.
  dir=$(new_pgdata r)
  echo x >"$dir/stray"; chown "$PG_OS_USER": "$dir/stray"
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  assert_rc 40
  assert_log_contains "because it contains files"
  # Unknown set: 075 naming it.
  dir=$(new_pgdata r2)
  run_tool --stanza=$STANZA --pg1-path="$dir" --set=20200101-000000F restore
  assert_rc 75
  assert_log_contains "backup set 20200101-000000F is not valid"
  assert_repo_unchanged "$before"
}

# settings_of DIR: the recovery lines of postgresql.auto.conf after the generated header, with the binary path of
# restore_command reduced to its arguments (the binaries differ).
settings_of() {
  sed -n '/^# Recovery settings generated by/,$p' "$1/postgresql.auto.conf" | tail -n +2 |
    sed -E "s|^restore_command = '[^ ]+ |restore_command = 'BIN |"
}

# Same options, same set: pgBackRest 2.45 and pgvault write the same recovery settings and signal files.
test_recovery_settings_match_pgbackrest() {
  local args a b n=0
  pgbr_source plain
  pgbr --type=full backup
  cluster_stop
  while IFS='|' read -r -a args; do
    n=$((n + 1))
    a=$(new_pgdata "pgbr$n"); b=$(new_pgdata "vault$n")
    pgbr --pg1-path="$a" "${args[@]}" restore
    tool_ok --stanza=$STANZA --pg1-path="$b" "${args[@]}" restore
    sed -i "s|--pg1-path=$a|--pg1-path=$b|" "$a/postgresql.auto.conf"
    assert_eq "$(settings_of "$b")" "$(settings_of "$a")" "(settings for: ${args[*]})"
    assert_eq "$(cd "$b" && ls -1 ./*.signal 2>/dev/null)" "$(cd "$a" && ls -1 ./*.signal 2>/dev/null)" "(signal files for: ${args[*]})"
    assert_eq "$(stat -c %a "$b/postgresql.auto.conf")" "$(stat -c %a "$a/postgresql.auto.conf")" "(mode for: ${args[*]})"
    echo "same settings: ${args[*]}"
  done <<'ARGS'
--type=default
--type=immediate|--target-action=promote
--type=time|--target=2030-01-01 00:00:00+00|--target-exclusive|--target-action=shutdown
--type=time|--target=2030-01-01 00:00:00.123456+02:30
--type=xid|--target=1234|--target-timeline=latest
--type=lsn|--target=FFFF/0|--target-exclusive
--type=name|--target=before_b|--target-action=pause
--type=standby|--recovery-option=primary-conninfo=host=x port=1|--recovery-option=recovery_min_apply_delay=5
--type=none
--type=default|--archive-mode=off|--target-timeline=current
--type=immediate|--archive-mode=off
ARGS
  # No set qualifies: both tools answer with the same error code and message.
  for args in "--type=time|--target=2000-01-01 00:00:00+00" "--type=lsn|--target=0/1"; do
    IFS='|' read -r -a args <<<"$args"
    a=$(new_pgdata "pgbr-none"); rm -rf "${a:?}"/*
    set +e
    runuser -u "$PG_OS_USER" -- "$PGBR" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --pg1-path="$a" \
      "${args[@]}" restore >"$SCRATCH/pgbr.out" 2>&1
    local pgbr_rc=$?
    set -e
    run_tool --stanza=$STANZA --pg1-path="$a" "${args[@]}" restore
    assert_eq "$RC" "$pgbr_rc" "(exit code for: ${args[*]})"
    local message; message=$(grep -o 'ERROR: \[[0-9]*\]: .*' "$SCRATCH/pgbr.out" | head -1)
    [ -z "$message" ] || assert_log_contains "$message"
    echo "same outcome ($RC): ${args[*]}"
  done
}

# pgvault alone: stanza-create, archive-push, backups and restore by pgvault, recovery through pgvault archive-get
# (restore_command names the running binary). The same set restored by pgBackRest holds the same data.
test_pgvault_round_trip() {
  local dir port fp
  setup_source enc-lz4 1
  make_test_table marks
  insert_batch marks F 1 500
  backup full
  insert_batch marks I 501 900
  backup incr
  fp=$(fingerprint)
  wal_switch_archived
  dir=$(new_pgdata r); port=$(free_port)
  restore_to "$dir"
  grep -q "^restore_command = '$VAULT_BIN --config=$SCRATCH/pgbackrest.conf --pg1-path=$dir --stanza=$STANZA archive-get %f \"%p\"'$" \
    "$dir/postgresql.auto.conf" || fail "restore_command does not call the running binary: $(grep restore_command "$dir/postgresql.auto.conf")"
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
  stop_restored "$dir"
  if ! is_pgbackrest; then
    dir=$(new_pgdata r-pgbr); port=$(free_port)
    pgbr --pg1-path="$dir" restore
    start_restored "$dir" "$port" promote
    assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
    stop_restored "$dir"
  fi
}

# Run as root, restore applies the manifest's owners (postgres) to every path, file and link it creates, so the
# restored cluster starts as postgres.
test_restore_as_root_applies_owners() {
  local dir port fp others
  pgbr_source plain
  pgbr --type=full backup
  fp=$(fingerprint)
  dir=$SCRATCH/r-root; mkdir -m 700 "$dir"          # owned by root
  local rc_opt; rc_opt=$(archive_get_option "$dir")
  set +e
  "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --pg1-path="$dir" ${rc_opt:+"$rc_opt"} \
    --type=immediate --target-action=promote restore >"$SCRATCH/root.log" 2>&1
  local rc=$?
  set -e
  [ $rc -eq 0 ] || { cat "$SCRATCH/root.log"; fail "restore as root failed with $rc"; }
  others=$(find "$dir" ! -user "$PG_OS_USER" -printf '%p ' ; find "$dir" ! -group "$PG_OS_USER" -printf '%p ')
  # The data directory itself keeps its owner unless the manifest maps it; everything inside belongs to postgres.
  others=${others//$dir /}
  [ -z "$others" ] || fail "not owned by $PG_OS_USER after a root restore: $others"
  chown "$PG_OS_USER": "$dir"
  port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
  stop_restored "$dir"
}
