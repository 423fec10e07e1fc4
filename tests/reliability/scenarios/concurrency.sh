# Concurrency (issue 8 item 6). While a full backup runs: a second backup fails at once with 050 and expire is
# refused with 050 (it takes the same lock), the running backup completes, is kept by the expire that follows it,
# verifies and restores. A full backup taken while pgbench and a pg_switch_wal loop push WAL as fast as the
# archiver goes: both succeed, every segment from before the load to the last one PostgreSQL reports archived is in
# the repository, and the backup restores (recovering to the end of the archive) to exactly the source's data. Two
# archive-push processes of the same segment started together, round after round: both exit 0 and the archive holds
# exactly one copy, which archive-get returns byte for byte.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/record.sh"

suite_cleanup() {
  local pidfile
  for pidfile in "$SCRATCH"/*.bgpid; do
    [ -f "$pidfile" ] && kill $(descendants "$(cat "$pidfile")") 2>/dev/null
  done
  cluster_cleanup
  return 0
}

# Case helpers -------------------------------------------------------------------------------------------------------

CON_FAILED=()
# con_case SCENARIO RUNS FUNCTION: runs FUNCTION in a subshell and records it. The function may write
# $SCRATCH/case.passed (passed runs out of RUNS), case.lost (runs that lost data) and case.corrupted (runs that left
# the repository failing verify); without case.passed a clean exit counts as every run passed.
con_case() {
  local scenario=$1 runs=$2 rc passed lost corrupted; shift 2
  rm -f "$SCRATCH/case.passed" "$SCRATCH/case.lost" "$SCRATCH/case.corrupted"
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  passed=$(cat "$SCRATCH/case.passed" 2>/dev/null || { [ $rc -eq 0 ] && echo "$runs" || echo 0; })
  lost=$(cat "$SCRATCH/case.lost" 2>/dev/null || echo 0)
  corrupted=$(cat "$SCRATCH/case.corrupted" 2>/dev/null || echo 0)
  [ $rc -eq 0 ] || [ "$passed" -lt "$runs" ] || passed=$((runs - 1))
  rel_record "$scenario" "$runs" "$passed" "$lost" "$corrupted" "seed ${REL_SEED:-none}"
  if [ $rc -ne 0 ]; then CON_FAILED+=("$scenario"); echo "case FAILED: $scenario"; else echo "case ok: $scenario"; fi
}
con_done() { [ ${#CON_FAILED[@]} -eq 0 ] || fail "failed cases: ${CON_FAILED[*]}"; }

# save_state VAR...: writes the variables (the config arrays always) for the next case's subshell; load_state reads.
save_state() {
  declare -p CONF_GLOBAL CONF_STANZA "$@" | sed -E 's/^declare -- /declare -g /; s/^declare -([a-zA-Z]+) /declare -g\1 /' \
    >"$SCRATCH/state.sh"
}
load_state() { source "$SCRATCH/state.sh"; }

# verify_or_corrupted: verify exits 0, else the run counts as a corrupted repository and the case fails.
verify_or_corrupted() {
  run_tool --stanza=$STANZA verify
  [ "$RC" -eq 0 ] || { echo 1 >"$SCRATCH/case.corrupted"; fail "verify failed ($RC): $OUT $ERR"; }
}

# bg_vault NAME ARGS...: starts the binary as postgres in the background, output in $SCRATCH/NAME.out and its exit
# code in NAME.rc when it ends (a case's subshell may end before it, so the next case cannot `wait` for it); sets
# BG_PID (the wrapper's pid, alive as long as the binary) and writes NAME.bgpid for the cleanup.
bg_vault() {
  local name=$1; shift
  rm -f "$SCRATCH/$name.rc"
  ( rc=0
    setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups \
      "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" "$@" >"$SCRATCH/$name.out" 2>&1 || rc=$?
    echo $rc >"$SCRATCH/$name.rc" ) &
  BG_PID=$!
  echo "$BG_PID" >"$SCRATCH/$name.bgpid"
}

# bg_wait NAME: waits (up to 10 minutes) for the background run NAME to end and prints its exit code.
bg_wait() {
  for _ in $(seq 1 12000); do
    [ -s "$SCRATCH/$1.rc" ] && { cat "$SCRATCH/$1.rc"; return 0; }
    sleep 0.05
  done
  fail "$1 did not end in 10 minutes"
}

# Two backups, and expire, during a backup ----------------------------------------------------------------------------

case_lock_setup() {
  cluster_init
  repo_mode gz-pm1
  cluster_start
  stanza_create
  pgbench_init 5
  make_test_table marks
  insert_batch marks A 1 1000
  backup full
  local first=$LAST_LABEL
  conf_set repo1-retention-full 1
  insert_batch marks B 1001 2000
  save_state PGDATA_SRC PGPORT_SRC first
}

# A full backup in the background (gz, process-max 1: long enough to be caught holding the lock).
start_running_backup() {
  bg_vault running --stanza=$STANZA --type=full backup
  RUNNING_PID=$BG_PID
  wait_backup_lock >/dev/null
  kill -0 "$RUNNING_PID" 2>/dev/null || fail "the running backup ended before the test could use it"
}

case_two_backups() {
  load_state
  start_running_backup
  run_tool --stanza=$STANZA --type=full backup
  assert_rc 50
  assert_err_contains "unable to acquire lock"
  kill -0 "$RUNNING_PID" 2>/dev/null || fail "the second backup's refusal came after the first ended: not concurrent"
  echo "second backup refused with 050 while the first runs"
  save_state PGDATA_SRC PGPORT_SRC first RUNNING_PID
}

case_expire_during_backup() {
  load_state
  local sets label_dir running_label rc
  # The set being written: the newest directory that is not in backup.info yet.
  for _ in $(seq 1 300); do
    label_dir=$(find "$SCRATCH/repo/backup/$STANZA" -maxdepth 1 -type d -name '*F' ! -name "$first" | head -1)
    [ -n "$label_dir" ] && break
    sleep 0.02
  done
  [ -n "$label_dir" ] || fail "the running backup made no set directory"
  running_label=$(basename "$label_dir")
  run_tool --stanza=$STANZA expire
  if [ "$RC" -eq 50 ]; then
    assert_err_contains "unable to acquire lock"
    echo "expire refused with 050 during the backup"
  else
    assert_rc 0
    echo "expire waited for the backup"
  fi
  assert_file "$label_dir"
  rc=$(bg_wait running)
  [ $rc -eq 0 ] || { cat "$SCRATCH/running.out"; echo 1 >"$SCRATCH/case.lost"; fail "the running backup failed ($rc)"; }
  # The backup that ran is in backup.info and, with retention-full=1, the only set left after its expire.
  sets=$(info_json '",".join(b["label"] for b in d[0]["backup"])')
  [ "$sets" == "$running_label" ] || { echo 1 >"$SCRATCH/case.lost"; fail "sets after the backup: '$sets', expected '$running_label'"; }
  tool_ok --stanza=$STANZA expire
  assert_eq "$(info_json '",".join(b["label"] for b in d[0]["backup"])')" "$running_label" "(after a second expire)"
  assert_file "$label_dir/backup.manifest"
  verify_or_corrupted
  local dir port
  dir=$(new_pgdata r-running); port=$(free_port)
  restore_to "$dir" --type=immediate --target-action=promote
  start_restored "$dir" "$port" promote
  [ "$(batches marks "$port")" == "A:1000,B:1000" ] || { echo 1 >"$SCRATCH/case.lost"; fail "restored marks: $(batches marks "$port")"; }
  stop_restored "$dir"
}

test_concurrency_backup_lock() {
  rel_seed
  case_lock_setup
  con_case "concurrency: two backups" 1 case_two_backups
  if grep -q RUNNING_PID "$SCRATCH/state.sh"; then
    con_case "concurrency: expire during backup" 1 case_expire_during_backup
  else
    rel_record "concurrency: expire during backup" 1 0 0 0 "no running backup to expire against"
    CON_FAILED+=("concurrency: expire during backup")
  fi
  con_done
}

# Backup while archive-push runs at full WAL rate -----------------------------------------------------------------

# wal_load_start: pgbench (2 clients) and a pg_switch_wal loop in the background until wal_load_stop.
wal_load_start() {
  as_pg pgbench -n -c 2 -T 600 -h "$SCRATCH" -p "$PGPORT_SRC" -U postgres postgres >"$SCRATCH/pgbench-load.log" 2>&1 &
  echo $! >"$SCRATCH/pgbench.bgpid"
  ( while :; do
      as_pg psql -X -q -At -h "$SCRATCH" -p "$PGPORT_SRC" -U postgres -d postgres \
        -c "SELECT pg_switch_wal()" >/dev/null 2>&1
      sleep 0.1
    done ) &
  echo $! >"$SCRATCH/switch.bgpid"
}
wal_load_stop() {
  local f
  for f in "$SCRATCH/switch.bgpid" "$SCRATCH/pgbench.bgpid"; do
    [ -f "$f" ] || continue
    kill $(descendants "$(cat "$f")") 2>/dev/null || true
    wait "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  return 0
}

# segment_range FIRST LAST: every segment name from FIRST to LAST on their timeline (16 MiB segments).
segment_range() {
  python3 - "$1" "$2" <<'PY'
import sys
a, b = sys.argv[1], sys.argv[2]
tl = a[:8]
n = lambda s: int(s[8:16], 16) * 256 + int(s[16:24], 16)
for i in range(n(a), n(b) + 1):
    print("%s%08X%08X" % (tl, i // 256, i % 256))
PY
}

case_backup_during_archive_push() {
  cluster_init
  repo_mode gz
  cluster_start
  stanza_create
  pgbench_init 1
  make_test_table marks
  insert_batch marks A 1 1000
  local first_seg last_seg missing label rc failed expected dir port switched
  first_seg=$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")
  wal_load_start
  sleep 1
  bg_vault loaded-backup --stanza=$STANZA --type=full backup
  rc=$(bg_wait loaded-backup)
  switched=$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")
  wal_load_stop
  [ $rc -eq 0 ] || { cat "$SCRATCH/loaded-backup.out"; fail "backup under WAL load failed ($rc)"; }
  label=$(newest_label)
  insert_batch marks B 1001 2000
  wal_switch_archived
  last_seg=$(psql_q "SELECT last_archived_wal FROM pg_stat_archiver")
  failed=$(psql_q "SELECT failed_count FROM pg_stat_archiver")
  echo "backup $label under load; segments $first_seg .. $switched during it, last archived $last_seg, $failed failed pushes"
  [ "$(segment_range "$first_seg" "$switched" | wc -l)" -ge 4 ] || fail "the load switched too few segments: $first_seg .. $switched"
  missing=""
  for seg in $(segment_range "$first_seg" "$last_seg"); do
    compgen -G "$SCRATCH/repo/archive/$STANZA/15-1/${seg:0:16}/$seg-*" | grep -qv '\.tmp$' || missing+=" $seg"
  done
  [ -z "$missing" ] || { echo 1 >"$SCRATCH/case.lost"; fail "archived segments missing from the repository:$missing"; }
  echo "all $(segment_range "$first_seg" "$last_seg" | wc -l) segments from $first_seg to $last_seg are in the repository"
  verify_or_corrupted
  expected=$(fingerprint)
  dir=$(new_pgdata r-loaded); port=$(free_port)
  restore_to "$dir" --set="$label"
  start_restored "$dir" "$port" promote
  local actual; actual=$(fingerprint "$port")
  stop_restored "$dir"
  [ "$expected" == "$actual" ] || { echo 1 >"$SCRATCH/case.lost"; assert_fingerprint_eq "$expected" "$actual"; }
  echo "restored to the end of the archive: $(printf '%s\n' "$expected" | wc -l) tables equal"
}

test_concurrency_backup_during_archive_push() {
  rel_seed
  con_case "concurrency: backup during archive-push" 1 case_backup_during_archive_push
  con_done
}

# The same segment pushed twice at once ---------------------------------------------------------------------------

# rounds of the same-segment race: 10 in ci, 100 in full.
same_segment_rounds() { [ "$REL_MODE" == full ] && echo 100 || echo 10; }

case_same_segment_twice() {
  local rounds=$1 round seg segs dir copies sha_src sha_got rc1 rc2 passed=0 archive
  cluster_init
  repo_mode enc-lz4
  cluster_start
  stanza_create
  make_test_table marks
  insert_batch marks A 1 1000
  wal_switch_archived; insert_batch marks B 1001 2000; wal_switch_archived; wal_switch_archived
  archive=$SCRATCH/repo/archive/$STANZA/15-1
  # Source segments: archived ones fetched back (decrypted, decompressed) into a directory postgres owns.
  mkdir -p "$SCRATCH/wal"; chown "$PG_OS_USER": "$SCRATCH/wal"
  segs=$(ls "$archive/0000000100000000" | grep -E '^[0-9A-F]{24}-' | cut -c1-24 | sort -u | head -3)
  for seg in $segs; do tool_ok --stanza=$STANZA archive-get "$seg" "$SCRATCH/wal/$seg"; done
  segs=($segs)
  [ ${#segs[@]} -ge 2 ] || fail "too few archived segments: ${segs[*]}"
  for round in $(seq 1 "$rounds"); do
    seg=${segs[$(( RANDOM % ${#segs[@]} ))]}
    dir=$archive/${seg:0:16}
    rm -f "$dir/$seg"-*
    bg_vault push1 --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
    bg_vault push2 --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
    rc1=$(bg_wait push1)
    rc2=$(bg_wait push2)
    copies=$(ls "$dir" | grep -c "^$seg" || true)
    sha_src=$(sha1sum <"$SCRATCH/wal/$seg" | cut -d' ' -f1)
    rm -f "$SCRATCH/got"
    run_tool --stanza=$STANZA archive-get "$seg" "$SCRATCH/got"
    sha_got=$( [ -f "$SCRATCH/got" ] && sha1sum <"$SCRATCH/got" | cut -d' ' -f1 || echo none)
    if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ "$copies" -eq 1 ] && [ "$sha_got" == "$sha_src" ]; then
      passed=$((passed + 1))
    else
      echo "round $round ($seg): exit codes $rc1/$rc2, $copies entries: $(ls "$dir" | grep "^$seg" | tr '\n' ' ')"
      sed 's/^/  push1: /' "$SCRATCH/push1.out"; sed 's/^/  push2: /' "$SCRATCH/push2.out"
      [ "$sha_got" == "$sha_src" ] || { echo "  archive-get returned $sha_got, source $sha_src"; echo 1 >"$SCRATCH/case.lost"; }
    fi
  done
  echo "$passed" >"$SCRATCH/case.passed"
  echo "$passed of $rounds rounds: both pushes 0, one copy, archive-get returns the segment"
  [ "$passed" -eq "$rounds" ] || fail "$((rounds - passed)) of $rounds rounds failed"
  verify_or_corrupted
}

test_concurrency_same_segment_twice() {
  rel_seed
  local rounds; rounds=$(same_segment_rounds)
  con_case "concurrency: same segment twice" "$rounds" case_same_segment_twice "$rounds"
  con_done
}
