# Crash consistency (issue 8, item 1): stanza-create, backup full and incr, archive-push, expire and restore are each
# killed with SIGKILL at REL_POINTS random points, chosen as "after the Nth mutating storage call" through the kill
# hook (VAULT_FAULT_KILL_AFTER_WRITES; N drawn from 1..the calls a clean run of the same command makes, REL_SEED
# replays them). After each kill: verify passes (a partial backup may only be in progress), the next run of the
# command succeeds, every segment pg_stat_archiver reports archived is in the archive, and a restore of the latest
# backup recovers the source's data. One cluster (pgbench scale 1, lz4 repository) serves every command, in the order
# stanza-create, backup full, expire, backup incr, archive-push, restore; one rel_record per kill.
#
# Time: full mode restores the latest backup after every kill. The ci mode (about 100 s on a quiet machine) leaves
# that to the restore kills at the end, which restore the latest backup left by all the kills before, recover it to
# the end of the archive and compare the data. The repository keeps two fulls (repo1-retention-full=2) so verify stays
# quick, and all WAL (repo1-retention-archive) so archived segments can be counted (anew after the expire kills).
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/record.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/crash.sh"

suite_cleanup() { cluster_cleanup; }

# data_checks [FLOOR BASE]: the WAL check, then the restore check in full mode and, in ci mode, after the last kill
# of each command ($i = REL_POINTS); non-zero when either failed.
data_checks() {
  check crash_wal_check "${1:-}" "${2:-}" || return 1
  if [ "$REL_MODE" == full ] || [ "${i:-0}" -eq "$REL_POINTS" ]; then
    check crash_restore_check || return 1; KILL_NOTE+=", restore checked"
  fi
}

# next_batch I: a batch of marks rows plus some pgbench traffic, so each kill has new data to lose.
next_batch() {
  insert_batch marks "$1" $((BATCH * 1000 + 1)) $((BATCH * 1000 + 500))
  BATCH=$((BATCH + 1))
  pgbench_run -t 100
}

# info_written PATH: the info file or its copy exists.
info_written() { [ -e "$1" ] || [ -e "$1.copy" ]; }

# next_segment SEG: the segment after SEG (timeline 1, 16 MiB segments).
next_segment() {
  local n=$(( 16#${1:8:8} * 256 + 16#${1:16:8} + 1 ))
  printf '00000001%08X%08X\n' $((n / 256)) $((n % 256))
}

# stanza-create: each kill starts from an empty repository (the previous one moved aside while PostgreSQL is idle).
# verify runs after the kill when both info files were written (before that there is no stanza to verify) and after
# the rerun; segments PostgreSQL could not push meanwhile must reach the new repository. There is no backup to
# restore yet: the backup sections that follow run on the stanza the last rerun completed (from WAL_FLOOR, when
# archived_count was WAL_BASE).
crash_stanza_create() {
  local total i stats v r d used=""
  crash_count --stanza=$STANZA --repo1-path="$SCRATCH/repo-count" stanza-create
  total=$CALLS
  for i in $(seq 1 "$REL_POINTS"); do
    if [ "$i" -gt 1 ]; then
      wal_switch_archived
      mv "$SCRATCH/repo" "$SCRATCH/repo-old-$i"
      mkdir "$SCRATCH/repo"; chown "$PG_OS_USER": "$SCRATCH/repo"
    fi
    stats=$(psql_q "SELECT archived_count, coalesce(last_archived_wal, '000000010000000000000000') FROM pg_stat_archiver")
    WAL_BASE=${stats%%|*}; WAL_FLOOR=$(next_segment "${stats##*|}")
    # Few calls (two files and two copies): distinct points, so ci covers three different states.
    crash_point "$total"
    while [[ " $used " == *" $POINT "* ]] && [ "$(wc -w <<<"$used")" -lt "$total" ]; do crash_point "$total"; done
    used+=" $POINT"
    crash_kill "$POINT" --stanza=$STANZA stanza-create
    v=0
    if info_written "$SCRATCH/repo/archive/$STANZA/archive.info" && info_written "$SCRATCH/repo/backup/$STANZA/backup.info"
    then check crash_verify || v=$?; fi
    r=0; check stanza_create || r=$?
    [ $v -ne 0 ] || check crash_verify || v=$?
    d=0
    [ $r -ne 0 ] || check crash_wal_check "$WAL_FLOOR" "$WAL_BASE" || d=$?
    crash_record "crash: stanza-create" $v $r $d
  done
}

# crash_backups TYPE: kills backups of TYPE; the rerun resumes the partial set or starts afresh.
crash_backups() {
  local type=$1 total i v r d
  next_batch "C$type"
  crash_count --stanza=$STANZA --type="$type" backup
  total=$CALLS
  for i in $(seq 1 "$REL_POINTS"); do
    next_batch "K$type$i"
    crash_point_for "$i" "$total"
    crash_kill "$POINT" --stanza=$STANZA --type="$type" backup
    v=0; check crash_verify || v=$?
    r=0; check tool_ok --stanza=$STANZA --type="$type" backup || r=$?
    d=0; data_checks "$WAL_FLOOR" "$WAL_BASE" || d=1
    crash_record "crash: backup $type" $v $r $d
  done
}

# archive-push: PostgreSQL's archive_command becomes a wrapper that runs archive-push with the hook at the number in
# $SCRATCH/crash-arm (consumed by that one run), else counting (counts and exit codes go to push-calls.log). The rerun
# is PostgreSQL's own retry of the failed segment.
crash_archive_wrapper() {
  local wrapper=$SCRATCH/archive-push.sh
  cat >"$wrapper" <<EOF
#!/bin/sh
n=0
if [ -f "$SCRATCH/crash-arm" ]; then n=\$(cat "$SCRATCH/crash-arm"); rm -f "$SCRATCH/crash-arm"; fi
env $CRASH_HOOK=\$n "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA archive-push "\$1" \\
  2>>"$SCRATCH/push-calls.log"
rc=\$?
echo "push \$1 hook \$n exit \$rc" >>"$SCRATCH/push-calls.log"
exit \$rc
EOF
  chmod 755 "$wrapper"
  psql_q "ALTER SYSTEM SET archive_command = '$wrapper %p'" >/dev/null
  psql_q "SELECT pg_reload_conf()" >/dev/null
}

crash_archive_push() {
  local total i seg v r d
  crash_archive_wrapper
  next_batch Cpush
  wal_switch_archived
  total=$(sed -n 's/^storage kill hook: \([0-9]*\) mutating calls$/\1/p' "$SCRATCH/push-calls.log" | sort -n | tail -1)
  [ -n "$total" ] || fail "archive-push counted no calls: $(cat "$SCRATCH/push-calls.log")"
  echo "archive-push makes $total mutating storage calls"
  for i in $(seq 1 "$REL_POINTS"); do
    crash_point_for "$i" "$total"
    echo "$POINT" >"$SCRATCH/crash-arm"
    chown "$PG_OS_USER": "$SCRATCH/crash-arm"
    next_batch "Kpush$i"
    psql_q "SELECT txid_current()" >/dev/null
    seg=$(psql_q "SELECT pg_walfile_name(pg_switch_wal())")
    for _ in $(seq 1 300); do [ -e "$SCRATCH/crash-arm" ] || break; sleep 0.1; done
    r=0; check wait_archived "$seg" || r=$?
    KILL_NOTE=$(grep "^push .* hook [1-9]" "$SCRATCH/push-calls.log" | tail -1 |
      awk '{ if ($6 == 137) print "killed after call " $4; else if ($6 == 0) print "call " $4 " not reached, finished";
             else print "call " $4 ": exit " $6 " before the kill" }')
    echo "archive-push of $seg: $KILL_NOTE"
    v=0; check crash_verify || v=$?
    d=0; data_checks "$WAL_FLOOR" "$WAL_BASE" || d=1
    crash_record "crash: archive-push" $v $r $d
  done
}

# full_count: the number of full backups in backup.info.
full_count() { info_json 'len([b for b in d[0].get("backup", []) if b["type"] == "full"])'; }

# expire (right after the full backups, so every kill sees the same shape): each kill takes one more full (so there
# are two), then runs expire with repo1-retention-full=1 and repo1-retention-archive=1, which drops the older full and
# the WAL before the newer one. The rerun must finish the job. Then the WAL count is based anew.
EXPIRE_ARGS=(--stanza=$STANZA --repo1-retention-full=1 --repo1-retention-archive=1 expire)
crash_expire() {
  local total i v r d
  next_batch Cexpire
  backup full
  crash_count "${EXPIRE_ARGS[@]}"
  total=$CALLS
  for i in $(seq 1 "$REL_POINTS"); do
    next_batch "Kexpire$i"
    backup full
    crash_point_for "$i" "$total"
    crash_kill "$POINT" "${EXPIRE_ARGS[@]}"
    v=0; check crash_verify || v=$?
    r=0; check tool_ok "${EXPIRE_ARGS[@]}" || r=$?
    [ $r -ne 0 ] || check assert_eq "$(full_count)" 1 "(fulls after expire)" || r=$?
    d=0; data_checks || d=1
    crash_record "crash: expire" $v $r $d
  done
  crash_wal_rebase
}

# restore: each kill restores the latest backup into a new directory; the rerun goes into the same directory with
# --delta when it already holds PG_VERSION or backup.manifest (pgBackRest's condition), else after clearing it; the
# restored cluster must recover the source's data.
crash_restore() {
  local total i dir port fp v r d
  wal_switch_archived
  fp=$(fingerprint)
  dir=$(new_pgdata count)
  crash_count --stanza=$STANZA --pg1-path="$dir" restore
  total=$CALLS
  rm -rf "$dir"
  for i in $(seq 1 "$REL_POINTS"); do
    dir=$(new_pgdata "r$i"); port=$(free_port)
    crash_point_for "$i" "$total"
    crash_kill "$POINT" --stanza=$STANZA --pg1-path="$dir" restore
    v=0; check crash_verify || v=$?
    r=0
    # pg_control is renamed into place after every other write: a killed restore must not be startable.
    if [ "$RC" -eq 137 ] && [ -e "$dir/global/pg_control" ]; then
      echo "killed restore left global/pg_control in $dir"; r=1
    fi
    if [ -e "$dir/PG_VERSION" ] || [ -e "$dir/backup.manifest" ]; then
      check restore_to "$dir" --delta || r=$?
    else
      find "$dir" -mindepth 1 -delete
      check restore_to "$dir" || r=$?
    fi
    d=0
    if [ $r -eq 0 ]; then
      check start_restored "$dir" "$port" promote || d=$?
      [ $d -ne 0 ] || check same_data "$fp" "$port" || d=$?
      stop_restored "$dir"
    fi
    rm -rf "$dir" "$dir.log"
    crash_record "crash: restore" $v $r $d
  done
}

same_data() { assert_fingerprint_eq "$1" "$(fingerprint "$2")"; }

test_crash_every_command() {
  rel_seed
  BATCH=1
  cluster_init
  conf_set compress-type lz4
  conf_set repo1-retention-full 2
  conf_set repo1-retention-archive 9999999
  cluster_start
  make_test_table marks
  crash_stanza_create
  pgbench_init 1
  crash_backups full
  crash_expire
  crash_backups incr
  crash_archive_push
  crash_restore
  crash_result
}
