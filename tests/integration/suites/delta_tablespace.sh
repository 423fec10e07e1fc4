# Delta restore over a modified copy (touched files fixed, extra files removed, unchanged files keep inode and mtime)
# and a cluster with a tablespace restored with --tablespace-map.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

sha1_of() { sha1sum <"$1" | cut -c1-40; }
inode_mtime() { stat -c '%i %Y' "$1"; }

delta_restore() {
  local dir port accounts branches tellers marks_file sum_accounts sum_branches sum_marks keep_tellers keep_version
  setup_source "$1" 1
  make_test_table marks
  insert_batch marks A 1 1000
  backup full
  FP=$(fingerprint)
  accounts=$(psql_q "SELECT pg_relation_filepath('pgbench_accounts')")
  branches=$(psql_q "SELECT pg_relation_filepath('pgbench_branches')")
  tellers=$(psql_q "SELECT pg_relation_filepath('pgbench_tellers')")
  marks_file=$(psql_q "SELECT pg_relation_filepath('marks')")

  dir=$(new_pgdata r)
  restore_to "$dir" --type=immediate --target-action=promote
  sum_accounts=$(sha1_of "$dir/$accounts"); sum_branches=$(sha1_of "$dir/$branches"); sum_marks=$(sha1_of "$dir/$marks_file")
  keep_tellers=$(inode_mtime "$dir/$tellers"); keep_version=$(inode_mtime "$dir/PG_VERSION")

  # Modify the copy: overwrite a page (same size), truncate a file, delete a file, add stray files and a directory.
  printf 'garbage-garbage-garbage' | dd of="$dir/$accounts" bs=1 seek=$((8192 * 3 + 100)) conv=notrunc status=none
  : >"$dir/$branches"
  rm "$dir/$marks_file"
  echo stray >"$dir/stray.txt"
  echo stray >"$dir/${accounts%/*}/999999"
  mkdir -p "$dir/stray_dir/sub"; echo stray >"$dir/stray_dir/sub/file"
  chown -R "$PG_OS_USER": "$dir"
  [ "$(sha1_of "$dir/$accounts")" != "$sum_accounts" ] || fail "the page overwrite did not change the file"
  sleep 1.1   # so that a rewritten file would get a different mtime

  restore_to "$dir" --delta --type=immediate --target-action=promote
  assert_eq "$(sha1_of "$dir/$accounts")" "$sum_accounts" "(overwritten page fixed)"
  assert_eq "$(sha1_of "$dir/$branches")" "$sum_branches" "(truncated file restored)"
  assert_eq "$(sha1_of "$dir/$marks_file")" "$sum_marks" "(deleted file restored)"
  assert_no_file "$dir/stray.txt"
  assert_no_file "$dir/${accounts%/*}/999999"
  assert_no_file "$dir/stray_dir"
  assert_eq "$(inode_mtime "$dir/$tellers")" "$keep_tellers" "(unchanged relation file untouched)"
  assert_eq "$(inode_mtime "$dir/PG_VERSION")" "$keep_version" "(unchanged PG_VERSION untouched)"

  port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  stop_restored "$dir"
}

test_delta_restore_plain() { delta_restore plain; }
test_delta_restore_enc_lz4() { delta_restore enc-lz4; }

tablespace() {
  local dir port oid link fp_end
  setup_source "$1" 1
  mkdir -p "$SCRATCH/ts1"; chown "$PG_OS_USER": "$SCRATCH/ts1"
  psql_q "CREATE TABLESPACE ts1 LOCATION '$SCRATCH/ts1'" >/dev/null
  oid=$(psql_q "SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'")
  psql_q "CREATE TABLE in_ts (id int PRIMARY KEY, batch text, payload text) TABLESPACE ts1" >/dev/null
  psql_q "CREATE INDEX in_ts_payload ON in_ts (payload) TABLESPACE ts1" >/dev/null
  insert_batch in_ts full 1 5000
  backup full
  insert_batch in_ts incr 5001 8000
  pgbench_run -t 200
  backup incr
  insert_batch in_ts after 8001 9000
  fp_end=$(fingerprint)
  wal_switch_archived

  dir=$(new_pgdata r)
  restore_to "$dir" --tablespace-map=ts1="$SCRATCH/ts1-restored"
  link=$(readlink "$dir/pg_tblspc/$oid")
  assert_eq "$link" "$SCRATCH/ts1-restored" "(tablespace link)"
  [ -n "$(find "$SCRATCH/ts1-restored" -path '*PG_15_*' -type f | head -1)" ] || fail "no files in the restored tablespace"
  assert_no_file "$dir/tablespace_map"

  port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_eq "$(psql_q "SELECT pg_tablespace_location($oid)" "$port")" "$SCRATCH/ts1-restored"
  assert_eq "$(batches in_ts "$port")" "after:1000,full:5000,incr:3000"
  assert_eq "$(psql_q "SET enable_seqscan = off; SELECT count(*) FROM in_ts WHERE payload > ''" "$port" | tail -1)" 9000 \
    "(rows through the index in the tablespace)"
  assert_fingerprint_eq "$fp_end" "$(fingerprint "$port")"
  # The source tablespace still belongs to the source alone.
  assert_eq "$(psql_q "SELECT pg_tablespace_location($oid)")" "$SCRATCH/ts1"
  stop_restored "$dir"
}

test_tablespace_plain() { tablespace plain; }
test_tablespace_enc_lz4() { tablespace enc-lz4; }
