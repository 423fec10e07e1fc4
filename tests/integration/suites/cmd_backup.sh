# backup by the binary under test, checked by pgBackRest 2.45 itself: full, diff and incr sets restored with
# `pgbackrest restore` (data compared), accepted by `pgbackrest info` and `pgbackrest verify`; references of an
# incr; a page-checksum warning; resume after kill -9; --force over a stale stop file.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/compat.sh"

suite_cleanup() { cluster_cleanup; }

# peer / peer_ok (pgBackRest 2.45 with the scratch config) come from lib/compat.sh.

# setup MODE [SCALE]: cluster (archiving through the binary under test), repository mode and stanza.
setup() {
  cluster_init
  repo_mode "$1"
  cluster_start
  stanza_create
  pgbench_init "${2:-1}"
  make_test_table marks
}

# vbackup TYPE [ARGS...]: backup by the binary under test; LAST_LABEL from pgBackRest's info.
vbackup() {
  local type=$1; shift
  tool_ok --stanza=$STANZA --type="$type" "$@" backup
  LAST_LABEL=$(peer_label -1)
  echo "backup $type -> $LAST_LABEL"
}

# peer_json EXPR: evaluates a python expression over d = `pgbackrest info --output=json`.
peer_json() {
  peer --stanza=$STANZA --output=json info
  assert_rc 0
  printf '%s' "$OUT" | python3 -c "import json,sys
d=json.load(sys.stdin)
print($1)"
}
peer_label() { peer_json "d[0]['backup'][$1]['label']"; }

# peer_restore_compare LABEL FINGERPRINT NAME: `pgbackrest restore` of LABEL into a new directory, start, compare.
peer_restore_compare() {
  local dir port
  dir=$(new_pgdata "$3"); port=$(free_port)
  peer_ok --stanza=$STANZA --pg1-path="$dir" --set="$1" --type=immediate --target-action=promote restore
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$2" "$(fingerprint "$port")"
  stop_restored "$dir"
}

# peer_accepts: pgbackrest info reports status ok and verify finds no error.
peer_accepts() {
  peer_ok --stanza=$STANZA info
  assert_out_contains "status: ok"
  peer_ok --stanza=$STANZA --log-level-console=info verify
  [[ "$OUT$ERR" != *"ERROR"* && "$OUT$ERR" != *"WARN"* && "$OUT$ERR" != *"status: error"* ]] ||
    fail "pgbackrest verify complained: $OUT $ERR"
  assert_log_contains "verify command end: completed successfully"
}

full_diff_incr() {
  local full diff incr fp_full fp_diff fp_incr
  setup "$1" 1
  [ -n "${2:-}" ] && set_process_max "$2"
  insert_batch marks full 1 1000
  vbackup full; full=$LAST_LABEL; fp_full=$(fingerprint)
  assert_log_contains "new backup label = $full"
  assert_log_contains "backup start archive = "
  assert_log_contains "full backup size = "
  [[ "$full" =~ ^[0-9]{8}-[0-9]{6}F$ ]] || fail "bad full label $full"
  [ -L "$SCRATCH/repo/backup/$STANZA/latest" ] || fail "latest link missing"
  assert_file "$SCRATCH/repo/backup/$STANZA/backup.history/${full:0:4}/$full.manifest.gz"

  pgbench_run -t 200
  insert_batch marks diff 1001 2000
  vbackup diff; diff=$LAST_LABEL; fp_diff=$(fingerprint)
  [[ "$diff" == "${full}_"*D ]] || fail "diff label $diff does not follow $full"

  pgbench_run -t 200
  insert_batch marks incr 2001 3000
  vbackup incr; incr=$LAST_LABEL; fp_incr=$(fingerprint)
  [[ "$incr" == "${full}_"*I ]] || fail "incr label $incr does not follow $full"

  assert_eq "$(peer_json "[b['type'] for b in d[0]['backup']]")" "['full', 'diff', 'incr']"
  assert_eq "$(peer_json "d[0]['backup'][2]['prior']")" "$diff" "(incr prior)"
  assert_eq "$(peer_json "sorted(d[0]['backup'][2]['reference'])")" "['$full', '$diff']" "(incr references)"
  # The incr stores far less than the full.
  assert_eq "$(peer_json "d[0]['backup'][2]['info']['delta'] < d[0]['backup'][0]['info']['delta'] / 2")" True
  peer_accepts

  peer_restore_compare "$full" "$fp_full" r-full
  peer_restore_compare "$diff" "$fp_diff" r-diff
  peer_restore_compare "$incr" "$fp_incr" r-incr
}

test_full_diff_incr_plain() { full_diff_incr plain; }
test_full_diff_incr_enc_lz4() { full_diff_incr enc-lz4; }
test_full_diff_incr_gz_pm4() { full_diff_incr gz 4; }

# A corrupted page of a relation file: the backup succeeds, warns naming the file and block, records the error in the
# manifest, and pgBackRest's info --set lists it.
test_page_checksum_warning() {
  local rel label
  setup plain 1
  psql_q "CREATE TABLE victim (id int, payload text); INSERT INTO victim SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 2000) g; CHECKPOINT" >/dev/null
  rel=$(psql_q "SELECT pg_relation_filepath('victim')")
  cluster_stop
  printf 'corrupted-page-data' | dd of="$PGDATA_SRC/$rel" bs=1 seek=$((8192 * 2 + 6000)) conv=notrunc status=none
  cluster_start
  vbackup full; label=$LAST_LABEL
  printf '%s\n%s\n' "$OUT" "$ERR" | grep "WARN: invalid page checksum found in file $PGDATA_SRC/$rel at page 2$" ||
    fail "no page checksum warning for block 2 of $rel: $OUT $ERR"
  grep -q "^pg_data/$rel={.*\"checksum-page\":false,\"checksum-page-error\":\[2\]" \
    "$SCRATCH/repo/backup/$STANZA/$label/backup.manifest" || fail "manifest lacks the page error"
  assert_eq "$(peer_json "d[0]['backup'][0]['error']")" True "(backup-error)"
  peer_ok --stanza=$STANZA --set="$label" info
  printf '%s\n' "$OUT" | grep "error list:" | grep -q "$rel" || fail "pgbackrest info --set shows no error for $rel: $OUT"
  peer_accepts
}

# kill -9 of a full backup mid-copy; the next backup resumes the same set (keeping verified files, the log says so)
# and pgBackRest restores it to the same data.
resume_after_kill() {
  local label_dir label fp
  setup "$1" 5
  insert_batch marks A 1 1000
  fp=$(fingerprint)
  # Quiesce the tables (hint bits, visibility map) so the files stored before the kill are still current after it.
  psql_q "VACUUM (FREEZE, ANALYZE)" >/dev/null; psql_q "CHECKPOINT" >/dev/null
  conf_set process-max 1
  conf_set compress-level 9
  conf_set manifest-save-threshold 1
  kill_full_backup_mid_copy
  label_dir=$KILLED_LABEL_DIR
  label=$(basename "$label_dir")
  # The cluster's advisory lock and backup die with the session; a new backup must be able to start.
  conf_set compress-level 1
  run_tool --stanza=$STANZA --type=full backup
  assert_rc 0
  assert_log_contains "resumable backup $label of same type exists"
  grep -q "checksum resumed file" "$SCRATCH/log/$STANZA-backup.log" || fail "no stored file was kept by the resume"
  assert_log_contains "new backup label = $label"
  assert_eq "$(peer_label -1)" "$label" "(the resumed backup keeps its label)"
  assert_eq "$(peer_json 'len(d[0]["backup"])')" 1
  assert_file "$label_dir/backup.manifest"
  [ -z "$(find "$label_dir" -name '*.tmp')" ] || fail "temporary files left in $label_dir"
  peer_accepts
  peer_restore_compare "$label" "$fp" r-resumed
}

test_resume_after_kill_gz() { resume_after_kill gz; }
test_resume_after_kill_enc_lz4() { resume_after_kill enc-lz4; }

# Stop files refuse a backup (062) unless --force, which removes them and says so; --force also overrides a lock file
# left by a dead process, but a lock held by a live process still gives 050. pgvault's extension of 2.45.
test_force_overrides_stop_file_and_stale_lock() {
  local holder
  pgvault_only "backup --force on a live cluster is rejected by pgBackRest 2.45" && return 0
  setup plain 1
  touch "$SCRATCH/lock/$STANZA.stop"; chown "$PG_OS_USER": "$SCRATCH/lock/$STANZA.stop"
  run_tool --stanza=$STANZA --type=full backup
  assert_rc 62
  assert_file "$SCRATCH/lock/$STANZA.stop"
  echo '{"execId":"1-deadbeef","pid":4194000}' >"$SCRATCH/lock/$STANZA-backup.lock"
  chown "$PG_OS_USER": "$SCRATCH/lock/$STANZA-backup.lock"
  run_tool --stanza=$STANZA --type=full --force backup
  assert_rc 0
  assert_log_contains "removed stop file '$SCRATCH/lock/$STANZA.stop'"
  assert_log_contains "overrode stale lock file"
  assert_no_file "$SCRATCH/lock/$STANZA.stop"
  assert_eq "$(peer_json 'len(d[0]["backup"])')" 1
  # A live holder of the backup lock.
  runuser -u "$PG_OS_USER" -- flock "$SCRATCH/lock/$STANZA-backup.lock" sleep 30 &
  holder=$!
  sleep 0.5
  run_tool --stanza=$STANZA --type=incr --force backup
  assert_rc 50
  kill "$holder" 2>/dev/null || true
  assert_eq "$(peer_json 'len(d[0]["backup"])')" 1
}

# An offline backup refuses a cluster whose postmaster.pid exists (038) and leaves the repository unchanged.
test_offline_backup_refuses_running_cluster() {
  local before
  setup plain 1
  before=$(repo_listing)
  run_tool --stanza=$STANZA --type=full --no-online backup
  assert_rc 38
  assert_repo_unchanged "$before"
}

# A tablespace backed up by the binary under test (target, link and files as pgBackRest writes them) and an incr with
# --delta (checksums compared, unchanged files referenced); pgBackRest restores both with --tablespace-map.
test_tablespace_and_delta_incr() {
  local full incr fp_full fp_incr oid dir port
  setup enc-lz4 1
  mkdir -p "$SCRATCH/ts1"; chown "$PG_OS_USER": "$SCRATCH/ts1"
  psql_q "CREATE TABLESPACE ts1 LOCATION '$SCRATCH/ts1'" >/dev/null
  psql_q "CREATE TABLE spaced (id int, v text) TABLESPACE ts1; INSERT INTO spaced SELECT g, md5(g::text) FROM generate_series(1, 5000) g" >/dev/null
  oid=$(psql_q "SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'")
  vbackup full; full=$LAST_LABEL; fp_full=$(fingerprint)
  grep -q "^pg_tblspc/$oid={\"path\":\"$SCRATCH/ts1\",\"tablespace-id\":\"$oid\",\"tablespace-name\":\"ts1\",\"type\":\"link\"}" \
    <(openssl enc -d -aes-256-cbc -md sha1 -pass "pass:$(cipher_pass_of_backup_info)" \
        -in "$SCRATCH/repo/backup/$STANZA/$full/backup.manifest") || fail "manifest lacks the tablespace target"
  [ -L "$SCRATCH/repo/backup/$STANZA/$full/pg_data/pg_tblspc/$oid" ] || fail "set lacks the tablespace link"

  psql_q "INSERT INTO spaced SELECT g, 'more' FROM generate_series(5001, 6000) g" >/dev/null
  insert_batch marks delta 1 100
  vbackup incr --delta; incr=$LAST_LABEL; fp_incr=$(fingerprint)
  grep -q "match file from prior backup" "$SCRATCH/log/$STANZA-backup.log" || fail "delta matched no file"
  assert_eq "$(peer_json "d[0]['backup'][1]['reference']")" "['$full']"
  peer_accepts

  for label in "$full" "$incr"; do
    dir=$(new_pgdata "r-$label"); port=$(free_port)
    mkdir -p "$SCRATCH/ts-$label"; chown "$PG_OS_USER": "$SCRATCH/ts-$label"
    peer_ok --stanza=$STANZA --pg1-path="$dir" --set="$label" --tablespace-map="$oid=$SCRATCH/ts-$label" \
      --type=immediate --target-action=promote restore
    [ "$(readlink "$dir/pg_tblspc/$oid")" == "$SCRATCH/ts-$label" ] || fail "tablespace link not remapped"
    start_restored "$dir" "$port" promote
    if [ "$label" == "$full" ]; then assert_fingerprint_eq "$fp_full" "$(fingerprint "$port")"
    else assert_fingerprint_eq "$fp_incr" "$(fingerprint "$port")"; fi
    stop_restored "$dir"
  done
}

# cipher_pass_of_backup_info: the manifest passphrase, from the decrypted backup.info.
cipher_pass_of_backup_info() {
  openssl enc -d -aes-256-cbc -md sha1 -pass "pass:$CIPHER_PASS" -in "$SCRATCH/repo/backup/$STANZA/backup.info" |
    sed -n 's/^cipher-pass="\(.*\)"$/\1/p'
}

# One chain written by both tools: pgvault full, pgBackRest incr on it, pgvault diff and incr on top; each tool
# reads the other's manifests as priors, and pgBackRest restores the last set.
test_mixed_chain_with_pgbackrest() {
  local full fp
  pgvault_only "the reference run would only repeat pgBackRest against itself" && return 0
  setup enc-lz4 1
  insert_batch marks a 1 100
  vbackup full; full=$LAST_LABEL
  insert_batch marks b 101 200
  peer_ok --stanza=$STANZA --type=incr backup
  insert_batch marks c 201 300
  vbackup diff
  [[ "$LAST_LABEL" == "${full}_"*D ]] || fail "diff $LAST_LABEL does not follow $full"
  insert_batch marks d 301 400
  vbackup incr; fp=$(fingerprint)
  assert_eq "$(peer_json "[b['type'] for b in d[0]['backup']]")" "['full', 'incr', 'diff', 'incr']"
  assert_eq "$(peer_json "sorted(d[0]['backup'][3]['reference'])")" "['$full', '$(peer_label 2)']"
  peer_accepts
  peer_restore_compare "$LAST_LABEL" "$fp" r-mixed
}

# Every stored lz4 file must be a valid frame (the lz4 CLI checks the content checksum) after backups at process-max
# 2 taken while pgbench writes. Regression: the lz4 stage let LZ4F keep a dictionary pointer into a buffer that the
# other worker reused, and a scale-100 backup held frames failing their content checksum.
test_lz4_frames_valid_after_parallel_backups_under_load() {
  local load bad=0 file
  setup plain 20
  set_compress lz4
  conf_set process-max 2
  as_pg pgbench -n -T 30 -c 2 -h "$SCRATCH" -p "$PGPORT_SRC" -U postgres postgres >/dev/null 2>&1 &
  load=$!
  backup full
  backup incr
  backup diff
  wait "$load" || true
  for file in $(find "$SCRATCH/repo/backup/$STANZA" -name '*.lz4'); do
    lz4 -t -q "$file" 2>/dev/null || { echo "invalid lz4 frame: $file"; bad=$((bad + 1)); }
  done
  assert_eq "$bad" 0 "(invalid lz4 frames)"
  [ "$(find "$SCRATCH/repo/backup/$STANZA" -name '*.lz4' | wc -l)" -gt 900 ] || fail "too few lz4 files checked"
}
