# Faults in the environment (issue 8, item 3). Each case records one row (tests/reliability/lib/record.sh):
# - disk full: the repository on a small tmpfs, filled to a random free space below one set's size; backup and
#   archive-push fail naming ENOSPC ("[28] No space left on device"), leave no temporary file and nothing partial at a
#   final name, the repository verifies, and once space is freed the next run succeeds; the data restores.
# - permission denied: a read-only backup/ or archive/ directory and an unreadable file in PGDATA give an error with
#   its code naming "[13] Permission denied", and nothing is written to backup/ or at a final name.
# - PostgreSQL dies mid-backup (immediate stop, SIGKILL of the postmaster) while files are copied: the backup fails
#   with the database error code, the repository verifies, the next backup after restart succeeds, data restores.
# - S3 faults through the fault proxy (5xx, resets, stalls): an incr backup and archive-push succeed after retries or
#   fail clearly, and the bucket verifies (after each kind in full mode, once after all three in ci).
# - the clock going backwards between backups (libfaketime under PostgreSQL, whose clock the label comes from):
#   labels follow reference §1 (later than the newest label, else +1 s, else ClockError 106 with nothing written).
# ci mode (REL_MODE=ci) takes 2 disk-full points and 2 postgres deaths; full mode REL_POINTS and REL_POINTS/2, plus
# restores after the clock and S3 cases. Needs root (tmpfs mount; else the disk-full test exits 77), faketime, moto.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/s3.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/record.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/faults.sh"

suite_cleanup() { cluster_cleanup; repo_umount; s3_proxy_cleanup; s3_cleanup; }

ENOSPC_TEXT="[28] No space left on device"
EACCES_TEXT="[13] Permission denied"

# Disk full -----------------------------------------------------------------------------------------------------

# disk_full_backup POINT FREE_KIB: with FREE_KIB left, a full backup fails naming ENOSPC (archive check off: the
# archive's own disk-full case is below); no temp file, files whole, verify clean; after freeing, the next full
# succeeds (resuming the partial set) and expire keeps the file system from filling up with sets.
disk_full_backup() {
  local point=$1 free=$2
  insert_batch marks "P$point" $((point * 1000 + 10001)) $((point * 1000 + 11000))
  repo_fill "$free"
  run_tool --stanza=$STANZA --type=full --no-archive-check backup
  case_note "free ${free}KiB: rc $RC"
  expect_failure "backup with ${free} KiB free" "$ENOSPC_TEXT" 41 47 52 64 79
  repo_files_whole
  verify_clean
  repo_unfill
  tool_ok --stanza=$STANZA --type=full backup
  tool_ok --stanza=$STANZA --repo1-retention-full=1 expire
}

# disk_full_archive_push: with no space left, archive-push of a new segment fails naming ENOSPC and the segment is
# not in the archive; after freeing, the next archive-push succeeds and the archive has every segment PostgreSQL
# counts as archived.
disk_full_archive_push() {
  local seg
  repo_fill 0
  seg=$(switch_segment)
  push_fails "$seg" "$ENOSPC_TEXT" 41 47 52 64 79 104
  repo_files_whole
  verify_clean
  repo_unfill
  tool_ok --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  wal_switch_archived
  archive_complete
}

test_disk_full() {
  local set_kib point
  rel_seed
  mkdir -p "$SCRATCH/repo"
  repo_tmpfs 160
  faults_source 1
  backup full
  set_kib=$(du -sk "$SCRATCH/repo/backup/$STANZA/$LAST_LABEL" | cut -f1)
  echo "a full set takes ${set_kib} KiB"
  local points=2; [ "$REL_MODE" == full ] && points=$REL_POINTS
  for point in $(seq 1 "$points"); do
    fault_case "faults: disk full backup" disk_full_backup "$point" $(( RANDOM % (set_kib * 9 / 10) ))
  done
  fault_case "faults: disk full archive-push" disk_full_archive_push
  repo_unfill
  fault_case "faults: disk full then restore" restore_matches disk-full
  faults_done
}

# Permission denied ---------------------------------------------------------------------------------------------

# perm_repo_backup: backup/<stanza> read-only: the backup fails naming EACCES and backup/ is unchanged; writable
# again, the next backup succeeds.
perm_repo_backup() {
  local before
  insert_batch marks R 2001 3000
  before=$(backup_tree)
  chmod 0550 "$SCRATCH/repo/backup/$STANZA"
  run_tool --stanza=$STANZA --type=incr backup
  chmod 0750 "$SCRATCH/repo/backup/$STANZA"
  expect_failure "backup into a read-only backup directory" "$EACCES_TEXT" 41 47 64
  assert_eq "$(backup_tree)" "$before" "(backup/ after the refused backup)"
  repo_files_whole
  verify_clean
  tool_ok --stanza=$STANZA --type=incr backup
}

# perm_repo_archive: the archive directories read-only: archive-push fails naming EACCES; writable again, it
# succeeds and no archived segment is missing.
perm_repo_archive() {
  local seg dirs
  dirs=$(find "$SCRATCH/repo/archive/$STANZA" -type d)
  chmod 0550 $dirs
  seg=$(switch_segment)
  set +e; ( push_fails "$seg" "$EACCES_TEXT" 41 47 64 104 ); local rc=$?; set -e
  chmod 0750 $dirs
  [ $rc -eq 0 ] || fail "archive-push into a read-only archive did not fail as expected"
  repo_files_whole
  verify_clean
  tool_ok --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  wal_switch_archived
  archive_complete
}

# perm_pgdata: a file in PGDATA postgres cannot read: backup fails with 041 naming it and EACCES; once readable, the
# next backup succeeds and holds it.
perm_pgdata() {
  local file=$PGDATA_SRC/faults-unreadable.conf
  echo "unreadable = 1" >"$file"
  chown root: "$file"; chmod 0600 "$file"
  run_tool --stanza=$STANZA --type=incr backup
  expect_failure "backup of an unreadable PGDATA file" "unable to open file '$file' for read: $EACCES_TEXT" 41
  repo_files_whole
  verify_clean
  chown "$PG_OS_USER": "$file"
  backup incr
  assert_file "$SCRATCH/repo/backup/$STANZA/$LAST_LABEL/pg_data/faults-unreadable.conf.lz4"
  rm -f "$file"
}

test_permission_denied() {
  faults_source 0
  backup full
  fault_case "faults: permission repo backup" perm_repo_backup
  fault_case "faults: permission repo archive-push" perm_repo_archive
  fault_case "faults: permission pgdata file" perm_pgdata
  faults_done
}

# PostgreSQL dies mid-backup ------------------------------------------------------------------------------------

# stop_postgres_hard HOW: "immediate" (pg_ctl -m immediate) or "kill9" (SIGKILL of the postmaster; waits until its
# children have gone too, so the restart finds no shared memory in use).
stop_postgres_hard() {
  local pm children
  if [ "$1" == immediate ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_SRC" -m immediate -w stop >/dev/null
  else
    pm=$(head -1 "$PGDATA_SRC/postmaster.pid")
    children=$(pgrep -P "$pm" || true)
    kill -KILL "$pm"
    for _ in $(seq 1 300); do
      # ps lists a process until it is reaped; a zombie (state Z) has gone for this purpose.
      ps -o stat= -p "$(echo $pm $children | tr ' ' ,)" | grep -qv '^Z' || break
      sleep 0.1
    done
    # Children notice the postmaster's death on their own; any left after 30s are stopped too.
    [ -z "$children" ] || kill -KILL $children 2>/dev/null || true
    # Where PID 1 reaps no orphans the dead postmaster stays a zombie, which postgres' lock-file check takes for a
    # live postmaster: the stale postmaster.pid goes (every process of the old server is gone by now).
    rm -f "$PGDATA_SRC/postmaster.pid"
  fi
  echo "postgres stopped ($1)"
}

# pg_dies_mid_backup POINT HOW FILES: a full backup runs; once its set holds FILES copied files, PostgreSQL is stopped
# HOW. The backup fails with the query error of its session check (057; 056 if it had not connected yet), verify
# is clean, PostgreSQL restarts and the next backup succeeds (an incr: the partial full cannot be resumed by it).
pg_dies_mid_backup() {
  local point=$1 how=$2 files=$3 pid rc set="" before
  insert_batch marks "D$point" $((point * 1000 + 100001)) $((point * 1000 + 101000))
  before=$(labels)
  setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups \
    "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --type=full backup \
    >"$SCRATCH/dying-backup.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    # The new set: a label that was not there before, once its manifest copy is saved (the copy has begun).
    set=$(comm -13 <(tr ' ' '\n' <<<"$before" | sort) <(labels | tr ' ' '\n' | sort) | head -1)
    if [ -n "$set" ] && [ -e "$SCRATCH/repo/backup/$STANZA/$set/backup.manifest.copy" ] &&
       [ "$(find "$SCRATCH/repo/backup/$STANZA/$set/pg_data" -type f ! -name '*.tmp' 2>/dev/null | wc -l)" -ge "$files" ]; then
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null || { cat "$SCRATCH/dying-backup.log"; fail "backup ended before postgres was stopped"; }
  stop_postgres_hard "$how"
  set +e; wait "$pid"; rc=$?; set -e
  RC=$rc; OUT=""; ERR=$(cat "$SCRATCH/dying-backup.log")
  case_note "$how after $files files: rc $RC"
  expect_failure "backup while postgres stopped ($how)" "ERROR: [05" 56 57
  repo_files_whole
  verify_clean
  cluster_start
  backup incr
}

test_postgres_dies_mid_backup() {
  local how point
  rel_seed
  faults_source 2
  conf_set compress-type gz
  backup full
  local runs=2; [ "$REL_MODE" == full ] && runs=$(( REL_POINTS / 2 ))
  for point in $(seq 1 "$runs"); do
    how=kill9; [ $((point % 2)) -eq 1 ] && how=immediate
    fault_case "faults: postgres dies mid-backup" pg_dies_mid_backup "$point" "$how" $(( 1 + RANDOM % 20 ))
  done
  fault_case "faults: postgres dies then restore" restore_matches pg-dies
  faults_done
}

# S3 faults -----------------------------------------------------------------------------------------------------

# s3_fault_run N KIND RATE FAULTS: at RATE of FAULTS, an incr backup and the archiving of a new segment (by
# PostgreSQL's archive_command and by archive-push itself) succeed after retries, or fail with 039/049 naming the
# bucket, in which case the same runs succeed once the faults stop; faults were injected; the new set is the newest
# in info, and (full mode) the bucket verifies.
s3_fault_run() {
  local n=$1 kind=$2 rate=$3 faults=$4 seg injected outcome=retried
  insert_batch marks "S$kind" $((n * 1000 + 200001)) $((n * 1000 + 201000))
  curl -sf -X POST "http://127.0.0.1:$S3_PROXY_PORT/__fault_proxy__/reset" >/dev/null
  s3_proxy_config "fault-rate=$rate&faults=$faults"
  run_tool --stanza=$STANZA --type=incr backup
  local backup_rc=$RC backup_err=$ERR
  seg=$(switch_segment)
  run_tool --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  local push_rc=$RC push_err=$ERR
  injected=$(s3_proxy_count 'sum(c["faults"].values())')
  s3_proxy_config "fault-rate=0"
  [ "$injected" -gt 0 ] || fail "no fault was injected"
  for pair in "backup:$backup_rc" "archive-push:$push_rc"; do
    local what=${pair%%:*} rc=${pair#*:} err
    [ "$what" == backup ] && err=$backup_err || err=$push_err
    [ "$rc" -eq 0 ] && continue
    outcome=failed-clearly
    RC=$rc; ERR=$err
    expect_failure "$what under $kind faults" "in bucket '$S3_BUCKET'" 39 49
  done
  [ "$backup_rc" -eq 0 ] || tool_ok --stanza=$STANZA --type=incr backup
  [ "$push_rc" -eq 0 ] || tool_ok --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  wal_switch_archived
  case_note "$kind: $injected faults, $outcome"
  assert_eq "$(info_json 'd[0]["backup"][-1]["type"]')" incr "(newest set after the $kind run)"
  # The bucket verifies after each run in full mode; in ci once after the three (a verify reads every object of
  # the full set, which the incr references).
  [ "$REL_MODE" != full ] || verify_clean
}

test_s3_faults() {
  pgvault_only "pgvault's S3 driver behind the fault proxy" && return 0
  rel_seed
  cluster_init
  s3_start
  s3_proxy_start --fault-rate 0 --retry-after 1 --stall-seconds 1 --seed "$REL_SEED"
  s3_config
  conf_set repo1-s3-endpoint "http://127.0.0.1:$S3_PROXY_PORT"
  conf_set io-timeout 3
  conf_set process-max 4
  set_compress lz4
  assert_config_loopback_only
  cluster_start
  stanza_create
  make_test_table marks
  insert_batch marks A 1 1000
  backup full
  fault_case "faults: s3 5xx" s3_fault_run 1 5xx 0.15 500,503
  fault_case "faults: s3 reset" s3_fault_run 2 reset 0.15 reset
  fault_case "faults: s3 slow" s3_fault_run 3 slow 0.15 stall
  [ "$REL_MODE" == full ] || fault_case "faults: s3 bucket verifies after the faults" verify_clean
  [ "$REL_MODE" != full ] || fault_case "faults: s3 then restore" restore_matches s3
  faults_done
}

# Clock going backwards -----------------------------------------------------------------------------------------
# An online backup's label comes from the database clock (as in pgBackRest), so the clock that goes backwards is
# PostgreSQL's: it runs under libfaketime, which reads the offset from $SCRATCH/clock at every call (clock_set).

# clock_full_behind NEWEST: a full with the clock a day behind is refused with 106 naming the newest label, and
# nothing is written to backup/.
clock_full_behind() {
  local before
  before=$(backup_tree)
  clock_set "-1d"
  run_tool --stanza=$STANZA --type=full backup
  expect_failure "full backup with the clock a day behind" "is not later than latest backup label '$1'" 106
  assert_err_contains "HINT: has the timezone changed?"
  assert_err_contains "HINT: is there clock skew?"
  assert_eq "$(backup_tree)" "$before" "(backup/ after the refused backup)"
  verify_clean
}

# clock_incr_behind FULL: an incr with the clock a day behind gets FULL_<yesterday>I, which sorts after FULL, so it
# is accepted (§1 compares whole labels); a later incr on the real clock sorts after it.
clock_incr_behind() {
  local yesterday incr
  yesterday=$(date -d '-1 day' +%Y%m%d)
  clock_set "-1d"
  backup incr
  incr=$LAST_LABEL
  [[ "$incr" == "${1}_${yesterday}-"*I ]] || fail "incr label '$incr' is not ${1}_${yesterday}-HHMMSSI"
  clock_set "+0"
  backup incr
  [[ "$LAST_LABEL" > "$incr" ]] || fail "incr on the real clock '$LAST_LABEL' does not sort after '$incr'"
  assert_eq "$(labels)" "$1 $incr $LAST_LABEL" "(set directories)"
  verify_clean
}

# clock_frozen: with the clock frozen at a time after every label, a full takes that second, the next full the
# second after (+1 s), and a third is refused with 106 with nothing written.
clock_frozen() {
  local day stamp before
  day=$(date -d '+1 day' +%Y-%m-%d)
  stamp="$(date -d "$day" +%Y%m%d)-1200"
  clock_set "$day 12:00:00"
  backup full
  assert_eq "$LAST_LABEL" "${stamp}00F" "(label at the frozen clock)"
  backup full
  assert_eq "$LAST_LABEL" "${stamp}01F" "(label one second later)"
  before=$(backup_tree)
  run_tool --stanza=$STANZA --type=full backup
  expect_failure "third full at the frozen clock" \
    "new backup label '${stamp}01F' is not later than latest backup label '${stamp}01F'" 106
  assert_eq "$(backup_tree)" "$before" "(backup/ after the refused backup)"
  clock_set "+0"
  verify_clean
}

test_clock_backwards() {
  [ -e "$FAKETIME_LIB" ] || fail "libfaketime missing: apt-get install faketime"
  cluster_init
  set_compress lz4
  clock_set "+0"
  clock_cluster_start
  stanza_create
  make_test_table marks
  insert_batch marks A 1 1000
  backup full
  local full=$LAST_LABEL
  fault_case "faults: clock backwards full" clock_full_behind "$full"
  fault_case "faults: clock backwards incr" clock_incr_behind "$full"
  fault_case "faults: clock frozen same second" clock_frozen
  clock_set "+0"
  [ "$REL_MODE" == full ] && fault_case "faults: clock then restore" restore_matches clock-restored
  faults_done
}
