# expire: the runbook's retention (6 fulls each followed by a diff and an incr, retention-full=4, retention-diff=7)
# through expire-auto; exactly the expected labels remain; WAL before the oldest kept backup is gone while every
# kept backup's own start..stop WAL stays (also with retention-archive=1); the oldest and newest kept backups
# restore and recover; --dry-run leaves the repository byte-identical; diff retention on the command line;
# time-based retention over backup.info stop times rewritten by the test (checksum recomputed); --set with its
# dependents, the newest-full refusal (075) and a bad label (032).
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# setup_small: a cluster without pgbench (small backups), gz repository, stanza and a marks table.
setup_small() {
  cluster_init
  repo_mode gz
  cluster_start
  stanza_create
  make_test_table marks
}

# labels: the labels of backup.info as info --output=json lists them, one line.
labels() { info_json "' '.join(b['label'] for b in d[0]['backup'])"; }

# archive_of LABEL start|stop: the WAL segment of LABEL's archive start or stop.
archive_of() { info_json "[b['archive']['$2'] for b in d[0]['backup'] if b['label']=='$1'][0]"; }

# wal_segments: every archived segment name (24 chars) of archive id 15-1, sorted.
wal_segments() {
  find "$SCRATCH/repo/archive/$STANZA/15-1" -mindepth 2 -type f -printf '%f\n' | grep -E '^[0-9A-F]{24}-' |
    cut -c1-24 | sort
}

# assert_wal_kept LABEL: every segment from LABEL's archive start to stop is in the archive.
assert_wal_kept() {
  local start stop segments
  start=$(archive_of "$1" start); stop=$(archive_of "$1" stop)
  segments=$(wal_segments)
  printf '%s\n' "$segments" | grep -qx "$start" || fail "start segment $start of $1 missing"
  printf '%s\n' "$segments" | grep -qx "$stop" || fail "stop segment $stop of $1 missing"
  echo "wal of $1 kept: $start..$stop"
}

# restore_check LABEL FINGERPRINT NAME: restore LABEL, recover to its end (immediate), promote, compare the data.
restore_check() {
  local dir port
  dir=$(new_pgdata "$3"); port=$(free_port)
  restore_to "$dir" --set="$1" --type=immediate --target-action=promote
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$2" "$(fingerprint "$port")"
  stop_restored "$dir"
}

# rewrite_stop_times LABEL=UNIX...: sets backup-timestamp-start/stop of the labels in backup.info and its copy,
# recomputing backrest-checksum (reference §2.2), as a repository that aged would hold them.
rewrite_stop_times() {
  python3 - "$SCRATCH/repo/backup/$STANZA/backup.info" "$@" <<'EOF'
import hashlib, json, sys
path, changes = sys.argv[1], dict(a.split('=') for a in sys.argv[2:])
lines = open(path).read().split('\n')
out, section = [], None
for line in lines:
    if line.startswith('[') and line.endswith(']'):
        section = line[1:-1]
    elif section == 'backup:current' and '=' in line:
        key, value = line.split('=', 1)
        if key in changes:
            obj = json.loads(value)
            obj['backup-timestamp-start'] = int(changes[key]) - 60
            obj['backup-timestamp-stop'] = int(changes[key])
            line = key + '=' + json.dumps(obj, separators=(',', ':'), sort_keys=True)
    out.append(line)
text, section, prev, parts = '\n'.join(out), None, None, []
for line in out:
    if line.startswith('[') and line.endswith(']'):
        section = line[1:-1]; continue
    if '=' not in line or line.startswith('backrest-checksum='): continue
    key, value = line.split('=', 1)
    parts.append((('},' if prev else '') + json.dumps(section) + ':{' if section != prev else ',') +
                 json.dumps(key) + ':' + value)
    prev = section
digest = hashlib.sha1(('{' + ''.join(parts) + '}}').encode()).hexdigest()
text = '\n'.join(l if not l.startswith('backrest-checksum=') else 'backrest-checksum="%s"' % digest for l in out)
for target in (path, path + '.copy'):
    open(target, 'w').write(text)
EOF
  chown "$PG_OS_USER": "$SCRATCH/repo/backup/$STANZA/backup.info"*
}

test_runbook_retention_restores_oldest_and_newest() {
  setup_small
  conf_set repo1-retention-full 4
  conf_set repo1-retention-diff 7
  declare -A fp=()
  local n fulls=() diffs=() incrs=()
  for n in 1 2 3 4 5 6; do
    insert_batch marks "f$n" $((n * 1000)) $((n * 1000 + 99))
    backup full; fulls+=("$LAST_LABEL"); fp[$LAST_LABEL]=$(fingerprint)
    if [ $n -eq 5 ]; then
      assert_log_contains "repo1: expire full backup set ${fulls[0]}, ${diffs[0]}, ${incrs[0]}"
      assert_log_contains "repo1: remove expired backup ${fulls[0]}"
    fi
    insert_batch marks "d$n" $((n * 1000 + 100)) $((n * 1000 + 199))
    backup diff; diffs+=("$LAST_LABEL"); fp[$LAST_LABEL]=$(fingerprint)
    insert_batch marks "i$n" $((n * 1000 + 200)) $((n * 1000 + 299))
    wal_switch_archived
    backup incr; incrs+=("$LAST_LABEL"); fp[$LAST_LABEL]=$(fingerprint)
  done

  local gap; gap=$(archive_of "${incrs[2]}" start)   # WAL between two backups kept below

  # expire-auto after each backup left the four newest chains, each complete (4 fulls + 4 diffs = 8 > 7, but the
  # oldest of the eight is a full, and fulls never expire by diff retention).
  local expected="" kept
  for n in 2 3 4 5; do expected+="${fulls[$n]} ${diffs[$n]} ${incrs[$n]} "; done
  kept=$(labels)
  assert_eq "$kept" "${expected% }" "(labels after six chains)"
  for n in 0 1; do assert_no_file "$SCRATCH/repo/backup/$STANZA/${fulls[$n]}"; done
  assert_eq "$(ls "$SCRATCH/repo/backup/$STANZA" | grep -cE '^[0-9]{8}-[0-9]{6}F')" 12 "(set directories)"

  # WAL older than the oldest kept backup is gone; its own WAL is there.
  local oldest_start first
  oldest_start=$(archive_of "${fulls[2]}" start)
  first=$(wal_segments | head -1)
  [[ ! "$first" < "$oldest_start" ]] || fail "WAL $first older than the oldest kept backup's start $oldest_start"
  echo "oldest archived segment $first, oldest kept backup starts at $oldest_start"

  # --dry-run of a tighter diff retention: logged with the prefix, nothing changes.
  local before; before=$(repo_listing)
  tool_ok --stanza=$STANZA --repo1-retention-diff=2 --dry-run expire
  assert_log_contains "[DRY-RUN] repo1: expire diff backup set ${diffs[2]}, ${incrs[2]}"
  assert_log_contains "[DRY-RUN] repo1: remove expired backup ${incrs[2]}"
  assert_repo_unchanged "$before"

  # The same for real: the diffs of the three older chains go with their incrs; fulls stay.
  tool_ok --stanza=$STANZA --repo1-retention-diff=2 expire
  assert_log_contains "repo1: expire diff backup set ${diffs[3]}, ${incrs[3]}"
  assert_eq "$(labels)" "${fulls[2]} ${fulls[3]} ${fulls[4]} ${fulls[5]} ${diffs[5]} ${incrs[5]}" "(after diff retention 2)"
  for n in 2 3 4; do assert_no_file "$SCRATCH/repo/backup/$STANZA/${diffs[$n]}"; done

  # Archive retention of one full: only the newest full's WAL stays continuous, each older backup keeps its own.
  tool_ok --stanza=$STANZA --repo1-retention-archive=1 expire
  assert_log_contains "repo1: 15-1 remove archive, start = "
  for n in 2 3 4 5; do assert_wal_kept "${fulls[$n]}"; done
  assert_wal_kept "${incrs[5]}"
  wal_segments | grep -qx "$gap" && fail "segment $gap (between kept backups) should be gone" || true

  restore_check "${fulls[2]}" "${fp[${fulls[2]}]}" oldest
  restore_check "${incrs[5]}" "${fp[${incrs[5]}]}" newest
}

test_set_expires_a_backup_with_its_dependents() {
  setup_small
  conf_set repo1-retention-full 9
  local f1 d1 i1 f2 fp1
  insert_batch marks a 1 100
  backup full; f1=$LAST_LABEL; fp1=$(fingerprint)
  insert_batch marks b 101 200
  backup diff; d1=$LAST_LABEL
  backup incr; i1=$LAST_LABEL
  backup full; f2=$LAST_LABEL

  run_tool --stanza=$STANZA --set=not-a-label expire
  assert_rc 32
  assert_log_contains "'not-a-label' is not a valid backup label format"

  run_tool --stanza=$STANZA --set=20200101-000000F expire
  assert_rc 0
  assert_log_contains "backup 20200101-000000F does not exist"

  local before; before=$(repo_listing)
  tool_ok --stanza=$STANZA --set="$d1" --dry-run expire
  assert_log_contains "[DRY-RUN] repo1: expire adhoc backup set $d1, $i1"
  assert_repo_unchanged "$before"

  tool_ok --stanza=$STANZA --set="$d1" expire
  assert_log_contains "repo1: expire adhoc backup set $d1, $i1"
  assert_eq "$(labels)" "$f1 $f2"
  assert_no_file "$SCRATCH/repo/backup/$STANZA/$d1"
  assert_no_file "$SCRATCH/repo/backup/$STANZA/$i1"

  # The newest full goes while another full exists (with a warning); then the last full is refused.
  tool_ok --stanza=$STANZA --set="$f2" expire
  assert_log_contains "expiring latest backup $f2"
  assert_eq "$(labels)" "$f1"
  assert_eq "$(readlink "$SCRATCH/repo/backup/$STANZA/latest")" "$f1" "(latest link)"
  # As in pgBackRest, a repository's error is logged and the command ends with CommandError (104).
  run_tool --stanza=$STANZA --set="$f1" expire
  assert_rc 104
  assert_log_contains "[075]: repo1: full backup $f1 cannot be expired until another full backup has been created on this repo"
  assert_eq "$(labels)" "$f1"
  restore_check "$f1" "$fp1" remaining
}

test_time_based_retention_keeps_the_full_that_reaches_the_window() {
  setup_small
  local f=() now n
  for n in 1 2 3 4; do
    insert_batch marks "t$n" $((n * 100)) $((n * 100 + 50))
    wal_switch_archived
    tool_ok --stanza=$STANZA --type=full --no-expire-auto backup
    f+=("$(newest_label)")
  done
  now=$(date +%s)
  rewrite_stop_times "${f[0]}=$((now - 40 * 86400))" "${f[1]}=$((now - 20 * 86400))" \
    "${f[2]}=$((now - 10 * 86400))" "${f[3]}=$((now - 86400))"
  tool_ok --stanza=$STANZA info
  assert_out_contains "status: ok"

  local before; before=$(repo_listing)
  tool_ok --stanza=$STANZA --repo1-retention-full-type=time --repo1-retention-full=15 --dry-run expire
  assert_log_contains "[DRY-RUN] repo1: expire time-based backup ${f[0]}"
  assert_repo_unchanged "$before"

  # 15 days: the full of 20 days ago is needed to reach back 15 days, so only the 40-day-old one goes; archive
  # retention becomes the three fulls left, so the WAL before the 20-day-old full goes too.
  tool_ok --stanza=$STANZA --repo1-retention-full-type=time --repo1-retention-full=15 expire
  assert_log_contains "repo1: expire time-based backup ${f[0]}"
  assert_log_contains "repo1: 15-1 remove archive, start = "
  assert_eq "$(labels)" "${f[1]} ${f[2]} ${f[3]}"
  local first; first=$(wal_segments | head -1)
  assert_eq "$first" "$(archive_of "${f[1]}" start)" "(oldest WAL = start of the oldest kept full)"

  # 100 days: nothing is old enough; WAL is not expired either.
  tool_ok --stanza=$STANZA --repo1-retention-full-type=time --repo1-retention-full=100 expire
  assert_log_contains "repo1: time-based archive retention not met - archive logs will not be expired"
  assert_eq "$(labels)" "${f[1]} ${f[2]} ${f[3]}"
}

test_expire_honours_stop_file_and_lock() {
  setup_small
  conf_set repo1-retention-full 1
  backup full
  tool_ok --stanza=$STANZA stop
  run_tool --stanza=$STANZA expire
  assert_rc 62
  tool_ok --stanza=$STANZA start
  tool_ok --stanza=$STANZA expire
  assert_log_contains "expire command end: completed successfully"
  assert_eq "$(labels)" "$LAST_LABEL"
}
