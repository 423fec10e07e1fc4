# Helpers of the environment-fault scenarios (scenarios/faults.sh). Source after cluster.sh and record.sh.
# A case runs in a subshell (a failed assertion ends that case only) and records one row; checks mark a case as having
# lost data or left the repository corrupt. Repositories here are unencrypted lz4 so the checks can read every file.

# fault_case SCENARIO FUNC [ARGS...]: runs FUNC in a subshell with set -e and records one run of SCENARIO: passed when
# FUNC succeeded, lost/corrupted when it called mark_lost/mark_corrupted. Counts failures in FAULT_FAILURES; the test
# function ends with faults_done, which fails when a case failed.
fault_case() {
  local scenario=$1 rc lost=0 corrupted=0 note="" start=$SECONDS
  shift
  rm -f "$SCRATCH/.case-lost" "$SCRATCH/.case-corrupted" "$SCRATCH/.case-note"
  echo "--- case '$scenario': $*"
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  [ -e "$SCRATCH/.case-lost" ] && lost=1
  [ -e "$SCRATCH/.case-corrupted" ] && corrupted=1
  [ -e "$SCRATCH/.case-note" ] && note=$(paste -sd' ' "$SCRATCH/.case-note")
  rel_record "$scenario" 1 $((rc == 0 ? 1 : 0)) "$lost" "$corrupted" "$note"
  if [ $rc -eq 0 ]; then echo "--- case '$scenario' passed ($((SECONDS - start))s)"
  else echo "--- case '$scenario' FAILED ($rc, $((SECONDS - start))s)"; fi
  FAULT_FAILURES=$(( ${FAULT_FAILURES:-0} + (rc != 0 ? 1 : 0) ))
  return 0
}

# faults_done: fails the test when any of its cases failed.
faults_done() { [ "${FAULT_FAILURES:-0}" -eq 0 ] || fail "${FAULT_FAILURES} case(s) failed"; }

case_note() { echo "$*" >>"$SCRATCH/.case-note"; }
mark_lost() { touch "$SCRATCH/.case-lost"; fail "data lost: $*"; }
mark_corrupted() { touch "$SCRATCH/.case-corrupted"; fail "repository corrupt: $*"; }

# faults_source [SCALE]: cluster with an lz4 repository, started, stanza created, pgbench at SCALE (0: none) and the
# marks table with batch A.
faults_source() {
  cluster_init
  set_compress lz4
  cluster_start
  stanza_create
  [ "${1:-0}" -gt 0 ] && pgbench_init "$1"
  make_test_table marks
  insert_batch marks A 1 1000
}

# expect_failure WHAT TEXT CODE...: the last run failed with one of the codes and its error names TEXT.
expect_failure() {
  local what=$1 text=$2; shift 2
  [ "$RC" -ne 0 ] || fail "$what succeeded where it should have failed: $OUT"
  assert_rc_in "$@"
  assert_err_contains "$text"
  echo "$what failed as expected ($RC): $(printf '%s\n' "$ERR" | grep -m1 ERROR)"
}

# verify_clean [ARGS...]: the repository passes verify (partial sets are only reported in progress); else the case is
# corrupt. ARGS (e.g. --set=LABEL) narrow it.
verify_clean() {
  run_tool --stanza=$STANZA --log-level-console=warn "$@" verify
  [ "$RC" -eq 0 ] || mark_corrupted "verify exited $RC: $OUT $ERR"
  echo "verify: ok"
}

# repo_files_whole: on a POSIX repository no temporary file is left, every lz4 file decompresses, every WAL
# segment's content has the SHA-1 in its name, and archive.info/backup.info (and copies) are loadable (info works).
repo_files_whole() {
  local tmp
  # PostgreSQL's archive_command may be writing one right now: only a temp file still there 2s later was left.
  tmp=$(find "$SCRATCH/repo" -name '*.pgbackrest.tmp' 2>/dev/null)
  if [ -n "$tmp" ]; then
    sleep 2
    tmp=$(comm -12 <(printf '%s\n' "$tmp" | sort) <(find "$SCRATCH/repo" -name '*.pgbackrest.tmp' 2>/dev/null | sort))
  fi
  [ -z "$tmp" ] || fail "temporary files left in the repository: $tmp"
  python3 - "$SCRATCH/repo" <<'EOF' || mark_corrupted "a file at a final name is not whole"
import hashlib, os, re, subprocess, sys
wal = re.compile(r'^[0-9A-F]{24}(\.partial)?-([0-9a-f]{40})\.lz4$')
bad = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if not name.endswith('.lz4'):
            continue
        path = os.path.join(root, name)
        run = subprocess.run(['lz4', '-dc', path], capture_output=True)
        if run.returncode != 0:
            print(f'not whole: {path}: {run.stderr.decode().strip()}'); bad += 1; continue
        m = wal.match(name)
        if m and hashlib.sha1(run.stdout).hexdigest() != m.group(2):
            print(f'WAL content does not match its name: {path}'); bad += 1
sys.exit(1 if bad else 0)
EOF
  run_tool --stanza=$STANZA info
  [ "$RC" -eq 0 ] || mark_corrupted "info failed ($RC): $ERR"
  echo "repository files whole"
}

# archive_complete: every segment from the oldest archived one to pg_stat_archiver's last_archived_wal is in the
# archive (POSIX repository); else the case lost data.
archive_complete() {
  local last
  last=$(psql_q "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  [ -n "$last" ] || fail "nothing archived yet"
  python3 - "$SCRATCH/repo/archive/$STANZA" "$last" <<'EOF' || mark_lost "an archived WAL segment is missing"
import os, re, sys
base, last = sys.argv[1], sys.argv[2]
names = set()
for root, dirs, files in os.walk(base):
    for f in files:
        if re.match(r'^[0-9A-F]{24}-', f):
            names.add(f[:24])
tli = last[:8]
segs = sorted(int(n[8:16], 16) * 256 + int(n[16:24], 16) for n in names if n[:8] == tli)
end = int(last[8:16], 16) * 256 + int(last[16:24], 16)
missing = [f'{tli}{s // 256:08X}{s % 256:08X}' for s in range(segs[0] if segs else end, end + 1) if f'{tli}{s // 256:08X}{s % 256:08X}' not in names]
if missing:
    print('missing from the archive:', ' '.join(missing)); sys.exit(1)
print(f'archive complete: {len(segs)} segments through {last}')
EOF
}

# restore_matches NAME: restores the newest backup (recovery to the end of the archive) into a new directory and
# compares the data with the source's fingerprint; else the case lost data.
restore_matches() {
  local dir port expected actual
  wal_switch_archived
  expected=$(fingerprint)
  dir=$(new_pgdata "$1"); port=$(free_port)
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  [ "$RC" -eq 0 ] || mark_lost "restore failed ($RC): $ERR"
  start_restored "$dir" "$port" promote
  actual=$(fingerprint "$port")
  stop_restored "$dir"
  [ "$expected" == "$actual" ] || mark_lost "restored data differs: expected $expected, got $actual"
  echo "restored data equal: $(printf '%s\n' "$expected" | wc -l) tables"
}

# backup_tree: the paths and sizes under the stanza's backup/ directory (for "nothing written" checks).
backup_tree() { (cd "$SCRATCH/repo/backup/$STANZA" && find . -printf '%y %p %s\n' | sort); }

# switch_segment: writes a little and switches WAL; prints the name of the segment just finished.
switch_segment() {
  psql_q "SELECT txid_current()" >/dev/null
  psql_q "SELECT pg_walfile_name(pg_switch_wal())"
}

# push_fails SEGMENT TEXT CODE...: archive-push of SEGMENT from pg_wal fails naming TEXT, and the segment is not at a
# final name in the archive. Retries while the archive lock is held by PostgreSQL's own archive-push (050).
push_fails() {
  local seg=$1 text=$2; shift 2
  for _ in $(seq 1 20); do
    run_tool --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
    [ "$RC" -eq 50 ] || break
    sleep 0.2
  done
  expect_failure "archive-push $seg" "$text" "$@"
  # (PostgreSQL's own archive-push of it may hold a temp file this moment; only a final name counts.)
  [ -z "$(find "$SCRATCH/repo/archive" -name "$seg-*" ! -name '*.pgbackrest.tmp' 2>/dev/null)" ] ||
    fail "segment $seg is in the archive"
}

# Disk full ------------------------------------------------------------------------------------------------------

# repo_tmpfs MB: mounts a tmpfs of MB MiB over $SCRATCH/repo (owned by postgres); exits 77 when mounting is not
# permitted here.
repo_tmpfs() {
  local why
  why=$(mount -t tmpfs -o "size=${1}m,mode=0750,uid=$(id -u "$PG_OS_USER"),gid=$(id -g "$PG_OS_USER")" tmpfs \
    "$SCRATCH/repo" 2>&1) || { echo "cannot mount a tmpfs repository: $why"; exit 77; }
  echo "repository on a ${1} MiB tmpfs"
}

# repo_umount: unmounts the tmpfs repository if mounted (suite_cleanup).
repo_umount() { mountpoint -q "$SCRATCH/repo" 2>/dev/null && umount -l "$SCRATCH/repo"; return 0; }

# repo_fill FREE_KIB: a root-owned filler file leaves about FREE_KIB KiB free on the repository file system.
repo_fill() {
  local avail
  rm -f "$SCRATCH/repo/.filler"
  avail=$(df --output=avail -k "$SCRATCH/repo" | tail -1 | tr -d ' ')
  if [ "$avail" -gt "$1" ]; then fallocate -l "$(( (avail - $1) * 1024 ))" "$SCRATCH/repo/.filler"; fi
  echo "repository free: $(df --output=avail -k "$SCRATCH/repo" | tail -1 | tr -d ' ') KiB"
}

repo_unfill() { rm -f "$SCRATCH/repo/.filler"; }

# Clocks ---------------------------------------------------------------------------------------------------------

FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

# clock_set SPEC: PostgreSQL's clock from now on, in libfaketime's format: "+0" (real), "-1d" (a day behind,
# ticking), "2030-01-01 12:00:00" (frozen at that local time).
clock_set() { echo "$1" >"$SCRATCH/clock"; chmod 644 "$SCRATCH/clock"; echo "postgres clock: $1"; }

# clock_cluster_start: starts the source cluster under libfaketime (clock from $SCRATCH/clock, re-read at every call;
# the monotonic clock stays real). Its archive_command runs the binary under test without libfaketime.
clock_cluster_start() {
  echo "archive_command = 'env -u LD_PRELOAD -u FAKETIME_TIMESTAMP_FILE $VAULT_BIN --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p'" \
    >>"$PGDATA_SRC/postgresql.conf"
  runuser -u "$PG_OS_USER" -- env LD_PRELOAD="$FAKETIME_LIB" FAKETIME_TIMESTAMP_FILE="$SCRATCH/clock" \
    FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$PG_BIN/pg_ctl" -D "$PGDATA_SRC" -l "$PGDATA_SRC.log" -w -t 120 start >/dev/null ||
    { tail -30 "$PGDATA_SRC.log"; fail "postgres under libfaketime did not start"; }
}

# labels: the set labels of the stanza's backup directory, sorted, space separated.
labels() {
  find "$SCRATCH/repo/backup/$STANZA" -maxdepth 1 -type d -name '[0-9]*-[0-9]*F*' -printf '%f\n' |
    sort | paste -sd' '
}
