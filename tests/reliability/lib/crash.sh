# Crash-consistency helpers for scenarios/crash.sh: run the binary with the storage kill hook
# (VAULT_FAULT_KILL_AFTER_WRITES, Sources/VaultStorage/StorageKillHook.swift), then check what the kill left.
# Source after tests/integration/lib/cluster.sh and ../lib/record.sh.

CRASH_HOOK=VAULT_FAULT_KILL_AFTER_WRITES
CRASH_FAILED=0

# crash_tool N ARGS...: runs the binary as postgres with the hook at N (0 = count the mutating storage calls and
# report them at exit); sets $OUT, $ERR and $RC as run_tool does (137 = killed by the hook). setpriv execs the binary,
# so the SIGKILL it sends itself is the exit status we see.
crash_tool() {
  local n=$1; shift
  set +e
  OUT=$(setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups env "$CRASH_HOOK=$n" \
    "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" "$@" 2>"$SCRATCH/.stderr")
  RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
  echo "\$ $CRASH_HOOK=$n $(basename "$VAULT_BIN") $* -> $RC" >>"$SCRATCH/tool.log"
  printf '%s\n%s\n' "$OUT" "$ERR" >>"$SCRATCH/tool.log"
}

# crash_count ARGS...: runs the command to completion with the hook counting; sets CALLS to its mutating calls.
crash_count() {
  crash_tool 0 "$@"
  assert_rc 0
  CALLS=$(printf '%s\n' "$ERR" | sed -n 's/^storage kill hook: \([0-9]*\) mutating calls$/\1/p' | tail -1)
  [ -n "$CALLS" ] && [ "$CALLS" -gt 0 ] || fail "no mutating storage calls counted for $*: $ERR"
  echo "$* makes $CALLS mutating storage calls"
}

# crash_point MAX: sets POINT to a random call number in 1..MAX, from rel_seed's RANDOM in this shell (never in a
# command substitution, whose subshell would not advance it), so REL_SEED=N replays the same points.
crash_point() { POINT=$(( 1 + (RANDOM * 32768 + RANDOM) % $1 )); }

# crash_point_for I MAX: crash_point, except that the last kill of a command (I = REL_POINTS) falls among its last five
# calls, where the info files, the manifest and (restore) the recovery settings are written: uniform points rarely
# land there.
crash_point_for() {
  if [ "$1" -eq "$REL_POINTS" ] && [ "$REL_POINTS" -gt 1 ]; then
    local span=$(( $2 < 5 ? $2 : 5 ))
    POINT=$(( $2 - RANDOM % span ))
  else
    crash_point "$2"
  fi
}

# crash_kill N ARGS...: runs the command with the hook at N; sets KILL_NOTE. Killed (137) is the expected outcome;
# finishing first (0) is allowed when N lies past the run's calls; any other exit code fails the case.
crash_kill() {
  local n=$1; shift
  crash_tool "$n" "$@"
  case "$RC" in
    137) KILL_NOTE="killed after call $n" ;;
    0) KILL_NOTE="call $n not reached, finished" ;;
    *) KILL_NOTE="call $n: exit $RC before the kill"; echo "$ERR" ;;
  esac
  echo "$*: $KILL_NOTE"
}

# crash_verify: the repository passes verify; backups left partial may only be reported as in progress.
crash_verify() {
  run_tool --stanza=$STANZA --log-level-console=info verify
  [ "$RC" -eq 0 ] || fail "verify failed after the kill (exit $RC): $OUT $ERR"
  local partial
  partial=$(printf '%s\n%s\n' "$OUT" "$ERR" | grep -c "appears to be in progress" || true)
  echo "verify ok ($partial backup(s) in progress)"
}

# archive_names: the stored WAL segments and backup history files of timeline 1, by name (checksum and extension cut).
archive_names() {
  find "$SCRATCH/repo/archive/$STANZA" -mindepth 3 -maxdepth 3 -type f -name '00000001*' ! -name '*.tmp' \
    -printf '%f\n' | sed 's/-.*//' | sort -u
}

# crash_wal_rebase: after WAL was expired, WAL_FLOOR becomes the archive start of the oldest backup and WAL_BASE
# archived_count less what is stored from there on, so later crash_wal_check calls compare counts again.
crash_wal_rebase() {
  local stats
  wal_switch_archived
  stats=$(psql_q "SELECT archived_count, last_archived_wal FROM pg_stat_archiver")
  WAL_FLOOR=$(info_json 'd[0]["backup"][0]["archive"]["start"]')
  WAL_BASE=$(( ${stats%%|*} - $(archive_names | awk -v f="$WAL_FLOOR" -v l="${stats##*|}" 'substr($0, 1, 24) >= f && substr($0, 1, 24) <= l' | wc -l) ))
  echo "WAL counted from $WAL_FLOOR, archived_count base $WAL_BASE"
}

# crash_wal_check [FLOOR BASE]: every segment PostgreSQL reports archived is in the archive: each segment of
# timeline 1 from FLOOR up to pg_stat_archiver.last_archived_wal. With FLOOR and BASE (archived_count when the
# repository began at FLOOR) the segments and backup history files (`<segment>.<offset>.backup`, which PostgreSQL
# archives and counts too) stored from FLOOR on number archived_count - BASE. Without them FLOOR is the archive start
# of the oldest backup (expire removes what lies before) and the count is not compared. The last segment is fetched
# back with archive-get and must be a whole 16 MiB segment; every stored segment's checksum is verify's part.
crash_wal_check() {
  local floor=${1:-} base=${2:-} stats last count listing
  wal_switch_archived
  stats=$(psql_q "SELECT archived_count, coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  count=${stats%%|*}; last=${stats##*|}
  [ -n "$last" ] || fail "PostgreSQL has archived nothing"
  [ -n "$floor" ] || floor=$(info_json 'd[0]["backup"][0]["archive"]["start"]')
  listing=$(archive_names)
  python3 - "$floor" "$last" "$count" "$base" <<EOF || fail "archived WAL missing from the archive"
import sys
floor, last, count, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = set("""$listing""".split())
present = set(n for n in names if len(n) == 24)
def number(seg): return int(seg[8:16], 16) * 256 + int(seg[16:24], 16)
def name(n): return "00000001%08X%08X" % (n // 256, n % 256)
wanted = [name(n) for n in range(number(floor), number(last) + 1)]
missing = [s for s in wanted if s not in present]
if missing:
    print("missing from the archive:", " ".join(missing)); sys.exit(1)
if base != "":
    stored = len([n for n in names if floor <= n[:24] <= last])
    if stored != count - int(base):
        print("pg_stat_archiver counts %d archived since the floor but %d files are stored" % (count - int(base), stored))
        sys.exit(1)
print("archive holds the %d segments %s..%s (archived_count %d)" % (len(wanted), floor, last, count))
EOF
  run_tool --stanza=$STANZA archive-get "$last" "$SCRATCH/fetched-wal"
  assert_rc 0
  assert_eq "$(stat -c %s "$SCRATCH/fetched-wal")" 16777216 "(size of $last fetched back)"
  rm -f "$SCRATCH/fetched-wal"
}

# crash_restore_check: with nothing writing, restores the latest backup (recovery to the end of the archive) into a
# new directory, starts it and compares the fingerprint of the source cluster.
crash_restore_check() {
  local fp dir port
  fp=$(fingerprint)
  wal_switch_archived
  dir=$(new_pgdata "check-$RANDOM"); port=$(free_port)
  restore_to "$dir"
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
  stop_restored "$dir"
  rm -rf "$dir" "$dir.log"
}

# crash_record SCENARIO VERIFIED RERUN DATA: one rel_record for one kill from the three check results (0 = passed,
# as exit codes): VERIFIED (verify after the kill), RERUN (the next run of the command), DATA (WAL and restore).
crash_record() {
  local scenario=$1 verified=$2 rerun=$3 data=$4 passed=1 lost=0 corrupted=0 note=$KILL_NOTE
  [[ "$KILL_NOTE" == *"before the kill"* ]] && passed=0
  [ "$verified" -eq 0 ] || { corrupted=1; passed=0; note+=", verify failed"; }
  [ "$rerun" -eq 0 ] || { passed=0; note+=", rerun failed"; }
  [ "$data" -eq 0 ] || { lost=1; passed=0; note+=", data check failed"; }
  rel_record "$scenario" 1 "$passed" "$lost" "$corrupted" "$note"
  echo "== $scenario: $note (passed $passed, lost $lost, corrupted $corrupted)"
  [ "$passed" -eq 1 ] || CRASH_FAILED=$((CRASH_FAILED + 1))
}

# crash_result: fails the test when any case failed (after all cases were recorded).
crash_result() { [ "$CRASH_FAILED" -eq 0 ] || fail "$CRASH_FAILED crash case(s) failed"; }

# check STEP...: runs a check step in a subshell (so its fail ends only the step) and returns its status.
check() { ( set -e; "$@" ); }
