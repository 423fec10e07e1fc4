# Asynchronous archiving (archive-async=y, spool-path, process-max=2): a pgbench load archives at least 50 segments
# through the detached archive-push:async worker, every one arrives in the repository, no .ok in the spool ever
# precedes the segment in the repository, and a point-in-time restore whose restore_command goes through the async
# archive-get (prefetching into the spool) holds exactly the data at the target. Also: archive-push-queue-max drops
# WAL with pgBackRest's warning and an .ok, a worker's error reaches the foreground with its code (045 per file,
# 103 global), and pgBackRest 2.45's own archive-get takes segments our worker prefetched into the spool.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

PEER=/usr/bin/pgbackrest

# async_source: a cluster archiving asynchronously through the binary under test (lz4, process-max 2), started,
# stanza created, with an empty full backup.
async_source() {
  cluster_init
  set_compress lz4
  set_process_max 2
  conf_set archive-async y
  conf_set spool-path "$SCRATCH/spool"
  mkdir -p "$SCRATCH/spool"; chown "$PG_OS_USER": "$SCRATCH/spool"
  cluster_start
  stanza_create
}

OUT_DIR() { echo "$SCRATCH/spool/archive/$STANZA/out"; }
IN_DIR() { echo "$SCRATCH/spool/archive/$STANZA/in"; }
ARCHIVE_ID_DIR() { echo "$SCRATCH/repo/archive/$STANZA/15-1"; }

# repo_has_segment SEG: the segment is stored (any checksum, any compression) and not as a temp file.
repo_has_segment() {
  compgen -G "$(ARCHIVE_ID_DIR)/${1:0:16}/$1-*" | grep -qv '\.pgbackrest\.tmp$'
}

# check_ok_durable: every <seg>.ok in the spool names a segment already in the repository (written after it).
check_ok_durable() {
  local ok seg checked=0
  for ok in "$(OUT_DIR)"/*.ok; do
    [ -e "$ok" ] || continue
    seg=$(basename "$ok" .ok)
    [[ "$seg" =~ ^[0-9A-F]{24}$ ]] || continue
    repo_has_segment "$seg" || fail ".ok for $seg in the spool but the segment is not in the repository"
    checked=$((checked + 1))
  done
  CHECKED_OK=$((CHECKED_OK + checked))
}

# fake_pg_wal SEG CONTENT_FILE: a pg_wal-like directory holding SEG (a copy of CONTENT_FILE) marked ready.
fake_pg_wal() {
  local dir=$SCRATCH/fake/pg_wal
  mkdir -p "$dir/archive_status"
  cp "$2" "$dir/$1"
  touch "$dir/archive_status/$1.ready"
  chown -R "$PG_OS_USER": "$SCRATCH/fake"
  FAKE_WAL=$dir
}

# archived_segment: fetches an archived segment with the synchronous archive-get into $SCRATCH/got/SEG; sets SEG.
archived_segment() {
  mkdir -p "$SCRATCH/got"; chown "$PG_OS_USER": "$SCRATCH/got"
  wal_switch_archived
  SEG=$(psql_q "SELECT last_archived_wal FROM pg_stat_archiver")
  tool_ok --stanza=$STANZA --no-archive-async archive-get "$SEG" "$SCRATCH/got/$SEG"
}

test_async_push_pgbench_all_durable_then_pitr_through_async_get() {
  local last count stored first_seg target_time dir port expected_names missing
  async_source
  backup full
  make_test_table marks

  # At least 50 segments: pgbench -i -s 20 plus switches with content, checked for durability while in flight.
  CHECKED_OK=0
  as_pg pgbench -i -q -s 20 -h "$SCRATCH" -p "$PGPORT_SRC" -U postgres postgres >"$SCRATCH/pgbench.log" 2>&1 &
  local bench=$!
  while kill -0 "$bench" 2>/dev/null; do check_ok_durable; sleep 0.5; done
  wait "$bench" || { cat "$SCRATCH/pgbench.log"; fail "pgbench -i failed"; }
  insert_batch marks A 1 1000
  pgbench_run -t 300
  FP_A=$(fingerprint)
  sleep 1
  target_time=$(psql_q "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
  sleep 1
  insert_batch marks B 1001 2000
  local i
  for i in $(seq 1 60); do
    insert_batch marks C $(( 3000 + i * 100 )) $(( 3000 + i * 100 + 50 ))
    last=$(psql_q "SELECT pg_walfile_name(pg_switch_wal())")
    check_ok_durable
    [ "$(psql_q "SELECT archived_count FROM pg_stat_archiver")" -ge 55 ] && break
  done
  last=$(psql_q "SELECT pg_walfile_name(pg_switch_wal())")
  wait_archived "$last"
  check_ok_durable
  echo "checked $CHECKED_OK .ok files against the repository while archiving"
  [ "$CHECKED_OK" -gt 0 ] || fail "no .ok file was ever seen in the spool"

  # All of them arrived: every file PostgreSQL archived is in the repository, and the segments are contiguous.
  count=$(psql_q "SELECT archived_count FROM pg_stat_archiver")
  [ "$count" -ge 50 ] || fail "only $count files archived"
  assert_eq "$(psql_q "SELECT failed_count FROM pg_stat_archiver")" 0 "(failed archive_command runs)"
  stored=$(find "$(ARCHIVE_ID_DIR)" -type f ! -name '*.tmp' | wc -l)
  assert_eq "$stored" "$count" "(files in the repository against pg_stat_archiver.archived_count)"
  first_seg=$(find "$(ARCHIVE_ID_DIR)" -type f -name '0*-*' -printf '%f\n' | cut -c1-24 | sort | head -1)
  missing=$(python3 - "$first_seg" "$last" "$(ARCHIVE_ID_DIR)" <<'EOF'
import os, sys
first, last, root = sys.argv[1], sys.argv[2], sys.argv[3]
tl, n, end = int(first[:8], 16), int(first[8:16], 16) * 256 + int(first[16:], 16), int(last[8:16], 16) * 256 + int(last[16:], 16)
stored = {f[:24] for d in os.listdir(root) if len(d) == 16 for f in os.listdir(os.path.join(root, d))}
print(" ".join(f"{tl:08X}{s // 256:08X}{s % 256:08X}" for s in range(n, end + 1) if f"{tl:08X}{s // 256:08X}{s % 256:08X}" not in stored))
EOF
)
  assert_eq "$missing" "" "(segments missing between $first_seg and $last)"
  assert_file "$SCRATCH/log/$STANZA-archive-push-async.log"
  grep -q "pushed WAL file" "$SCRATCH/log/$STANZA-archive-push-async.log" || fail "worker log lacks pushed files"

  # PITR by time, restore_command through the async archive-get (archive-async=y from the config file).
  dir=$(new_pgdata r-time); port=$(free_port)
  restore_to "$dir" --type=time --target="$target_time" --target-action=promote
  grep -q "archive-get" "$dir/postgresql.auto.conf" || fail "no restore_command"
  start_restored "$dir" "$port" promote
  assert_eq "$(batches marks "$port")" "A:1000" "(batches at the target)"
  assert_fingerprint_eq "$FP_A" "$(fingerprint "$port")"
  grep -q "found .* in the archive asynchronously" "$dir.log" || fail "restored cluster did not use the async get"
  assert_file "$SCRATCH/log/$STANZA-archive-get-async.log"
  grep -q "get [0-9]* WAL file(s) from archive" "$SCRATCH/log/$STANZA-archive-get-async.log" ||
    fail "get worker log lacks its start line"
  stop_restored "$dir"
}

test_async_push_queue_max_drops_with_warning_and_ok() {
  local seg_file ok
  async_source
  archived_segment
  cluster_stop
  # A segment the repository does not have yet, and a repository the worker cannot write.
  python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[8192+100]^=0xff; open(sys.argv[2],'wb').write(b)" \
    "$SCRATCH/got/$SEG" "$SCRATCH/mod"
  local next; next=$(printf '%s%08X' "${SEG:0:16}" $(( 16#${SEG:16:8} + 1 )))
  rm -f "$(ARCHIVE_ID_DIR)/${next:0:16}/$next"-*
  fake_pg_wal "$next" "$SCRATCH/mod"
  chmod -R a-w "$(ARCHIVE_ID_DIR)"
  run_tool --stanza=$STANZA --archive-push-queue-max=1MiB archive-push "$FAKE_WAL/$next"
  chmod -R u+w "$(ARCHIVE_ID_DIR)"
  assert_rc 0
  assert_log_contains "dropped WAL file '$next' because archive queue exceeded 1MB"
  ok="$(OUT_DIR)/$next.ok"
  assert_file "$ok"
  assert_eq "$(head -1 "$ok")" 0 "(first line of the .ok)"
  grep -q "dropped WAL file '$next' because archive queue exceeded 1MB" "$ok" || fail ".ok lacks the warning"
  repo_has_segment "$next" && fail "dropped segment $next is in the repository"
  grep -q "dropped WAL file '$next'" "$SCRATCH/log/$STANZA-archive-push-async.log" || fail "worker log lacks the drop"
  echo "dropped $next with warning and .ok"
}

test_async_push_errors_reach_the_foreground_with_their_code() {
  async_source
  archived_segment
  wait_archived "$SEG"
  cluster_stop
  # Same name as an archived segment, other content: the worker writes <seg>.error with 045.
  python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[8192+100]^=0xff; open(sys.argv[2],'wb').write(b)" \
    "$SCRATCH/got/$SEG" "$SCRATCH/mod"
  fake_pg_wal "$SEG" "$SCRATCH/mod"
  rm -f "$(OUT_DIR)/$SEG.ok"
  run_tool --stanza=$STANZA archive-push "$FAKE_WAL/$SEG"
  assert_rc 45
  assert_log_contains "already exists in the repo1 archive with a different checksum"
  assert_eq "$(head -1 "$(OUT_DIR)/$SEG.error")" 45 "(code in $SEG.error)"

  # A failure outside one file (stanza without archive.info): global.error with 103, raised by the foreground.
  mv "$SCRATCH/repo/archive/$STANZA/archive.info" "$SCRATCH/archive.info.saved"
  mv "$SCRATCH/repo/archive/$STANZA/archive.info.copy" "$SCRATCH/archive.info.copy.saved"
  run_tool --stanza=$STANZA archive-push "$FAKE_WAL/$SEG"
  assert_rc 103
  assert_log_contains "unable to find a valid repository"
  assert_eq "$(head -1 "$(OUT_DIR)/global.error")" 103 "(code in global.error)"
  mv "$SCRATCH/archive.info.saved" "$SCRATCH/repo/archive/$STANZA/archive.info"
  mv "$SCRATCH/archive.info.copy.saved" "$SCRATCH/repo/archive/$STANZA/archive.info.copy"

  # A stop file: the worker fails with 062 and so does the foreground (sync check first, as pgBackRest).
  tool_ok --stanza=$STANZA stop
  run_tool --stanza=$STANZA archive-push "$FAKE_WAL/$SEG"
  assert_rc 62
  tool_ok --stanza=$STANZA start
}

test_pgbackrest_archive_get_reads_our_prefetched_spool() {
  local first next want got
  async_source
  for _ in 1 2 3 4; do psql_q "SELECT txid_current(); SELECT pg_switch_wal()" >/dev/null; done
  wal_switch_archived
  # The oldest archived segment; our foreground fetches it and starts the worker, which prefetches the next ones.
  first=$(find "$(ARCHIVE_ID_DIR)" -type f -name '0*-*' -printf '%f\n' | cut -c1-24 | sort | head -1)
  next=$(printf '%s%08X' "${first:0:16}" $(( 16#${first:16:8} + 1 )))
  mkdir -p "$SCRATCH/got"; chown "$PG_OS_USER": "$SCRATCH/got"
  tool_ok --stanza=$STANZA archive-get "$first" "$SCRATCH/got/first"
  for _ in $(seq 1 300); do [ -e "$(IN_DIR)/$next" ] && break; sleep 0.1; done
  assert_file "$(IN_DIR)/$next"
  # Only temp names may be partial: every file under a segment name is a whole segment.
  local f
  for f in "$(IN_DIR)"/*; do
    [[ "$(basename "$f")" =~ ^[0-9A-F]{24}$ ]] || continue
    assert_eq "$(stat -c %s "$f")" 16777216 "(size of queued $(basename "$f"))"
  done
  # pgBackRest's foreground takes it from the spool (moves it) and it equals a synchronous get.
  tool_ok --stanza=$STANZA --no-archive-async archive-get "$next" "$SCRATCH/got/want"
  set +e
  runuser -u "$PG_OS_USER" -- "$PEER" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA archive-get "$next" \
    "$SCRATCH/got/peer" >"$SCRATCH/peer.out" 2>&1
  local rc=$?
  set -e
  cat "$SCRATCH/peer.out"
  assert_eq "$rc" 0 "(pgBackRest archive-get exit code)"
  grep -q "found $next in the archive asynchronously" "$SCRATCH/peer.out" || fail "pgBackRest did not take it from the spool"
  want=$(sha1sum <"$SCRATCH/got/want"); got=$(sha1sum <"$SCRATCH/got/peer")
  assert_eq "$got" "$want" "(content of $next through pgBackRest from our spool)"
  assert_no_file "$(IN_DIR)/$next"
}
