# Page checksum errors found during backup (warning naming file and block, shown by info --set) and resume of a full
# backup killed with SIGKILL mid-copy.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

page_checksums() {
  local rel dir port sum label
  setup_source "$1" 1
  # The damaged table lives in its own database so the fingerprint of postgres stays readable.
  psql_q "CREATE DATABASE damaged" >/dev/null
  psql_q "CREATE TABLE victim (id int, payload text); INSERT INTO victim SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 2000) g; CHECKPOINT" \
    "" damaged >/dev/null
  rel=$(psql_q "SELECT pg_relation_filepath('victim')" "" damaged)
  [ "$(stat -c %s "$PGDATA_SRC/$rel")" -gt $((8192 * 4)) ] || fail "victim table has fewer than 4 pages"
  FP=$(fingerprint)

  # Corrupt block 2 of the stopped cluster (tuple data, so the header stays plausible), then start it again.
  cluster_stop
  printf 'corrupted-page-data' | dd of="$PGDATA_SRC/$rel" bs=1 seek=$((8192 * 2 + 6000)) conv=notrunc status=none
  sum=$(sha1sum <"$PGDATA_SRC/$rel" | cut -c1-40)
  cluster_start

  run_tool --stanza=$STANZA --type=full backup
  assert_rc 0
  assert_log_contains "invalid page checksum found in file"
  assert_log_contains "$rel"
  printf '%s\n%s\n' "$OUT" "$ERR" | grep "invalid page checksum" | grep -q "page 2\b" ||
    fail "the warning does not name block 2: $(printf '%s\n%s\n' "$OUT" "$ERR" | grep "invalid page checksum")"
  label=$(newest_label)

  run_tool --stanza=$STANZA --set="$label" info
  assert_rc 0
  # pgBackRest 2.45 prints "error list: <file>..." for the set.
  printf '%s\n' "$OUT" | grep "error list:" | grep -q "$rel" || fail "info --set shows no page checksum error for $rel: $OUT"

  # The backup holds the bytes as they were, and every other table is intact.
  dir=$(new_pgdata r); port=$(free_port)
  restore_to "$dir" --type=immediate --target-action=promote
  assert_eq "$(sha1sum <"$dir/$rel" | cut -c1-40)" "$sum" "(damaged file restored byte for byte)"
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  stop_restored "$dir"
}

test_page_checksum_error_plain() { page_checksums plain; }
test_page_checksum_error_enc_lz4() { page_checksums enc-lz4; }

# Resume: a full backup is killed (SIGKILL) once some files are in the repository; the next full backup resumes the
# same set (same label, the log says so) and the result restores to the same data.
resume() {
  local label_dir label dir port
  setup_source "$1" 5
  make_test_table marks
  insert_batch marks A 1 1000
  FP=$(fingerprint)
  conf_set process-max 1
  conf_set compress-level 9

  kill_full_backup_mid_copy
  label_dir=$KILLED_LABEL_DIR
  label=$(basename "$label_dir")

  run_tool --stanza=$STANZA --type=full backup
  assert_rc 0
  [[ "${OUT,,}${ERR,,}" == *resum* ]] || fail "the backup log does not mention resuming: $OUT $ERR"
  assert_log_contains "$label"
  assert_eq "$(newest_label)" "$label" "(the resumed backup keeps its label)"
  assert_eq "$(info_json 'len(d[0]["backup"])')" 1
  assert_file "$label_dir/backup.manifest"

  dir=$(new_pgdata r); port=$(free_port)
  restore_to "$dir" --type=immediate --target-action=promote
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  stop_restored "$dir"
}

test_resume_after_kill_gz() { resume gz; }
test_resume_after_kill_enc_lz4() { resume enc-lz4; }
