# check: a pgvault stanza with WAL archived passes (and pgBackRest's check agrees); archiving off (087), an
# archive_command that calls neither tool (068), WAL that never arrives (082, within archive-timeout), another
# cluster behind pg1-path (058) and info files of another cluster (028).
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

test_check_passes_and_the_segment_is_in_the_repository() {
  cluster_init; repo_mode enc-lz4; cluster_start
  stanza_create
  run_tool --stanza=$STANZA check
  assert_rc 0
  assert_log_contains "check repo1 configuration (primary)"
  assert_log_contains "check repo1 archive for WAL (primary)"
  local seg; seg=$(printf '%s\n%s' "$OUT" "$ERR" | sed -n 's/.*WAL segment \([0-9A-F]\{24\}\) successfully archived to .*/\1/p')
  [ -n "$seg" ] || fail "no archived segment named: $OUT $ERR"
  ls "$SCRATCH/repo/archive/$STANZA/15-1/${seg:0:16}/" | grep -q "^$seg-[0-9a-f]\{40\}\.lz4$" || fail "segment $seg not in repository"
  # pgBackRest's own check agrees on the same stanza.
  runuser -u postgres -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA \
    --log-level-console=warn check || fail "pgbackrest check failed"
}

test_archive_mode_off_is_087() {
  cluster_init; repo_mode plain
  echo "archive_mode = off" >>"$PGDATA_SRC/postgresql.conf"
  cluster_start; stanza_create
  run_tool --stanza=$STANZA check
  assert_rc 87
  assert_log_contains "archive_mode must be enabled"
}

test_archive_command_without_either_tool_is_068() {
  cluster_init; repo_mode plain
  echo "archive_command = '/bin/true %p'" >>"$PGDATA_SRC/postgresql.conf"
  cluster_start; stanza_create
  run_tool --stanza=$STANZA check
  assert_rc 68
  assert_log_contains "archive_command '/bin/true %p' must contain"
}

test_wal_that_never_arrives_is_082_after_archive_timeout() {
  cluster_init; repo_mode plain
  # Mentions the tool (so 068 does not apply) but archives nothing.
  echo "archive_command = '/bin/false pgvault pgbackrest %p'" >>"$PGDATA_SRC/postgresql.conf"
  cluster_start; stanza_create
  local start=$SECONDS
  run_tool --stanza=$STANZA --archive-timeout=3 check
  assert_rc 82
  assert_log_contains "was not archived"
  [ $((SECONDS - start)) -lt 30 ] || fail "check did not respect archive-timeout"
}

test_other_cluster_is_058_and_other_info_files_are_028() {
  cluster_init; repo_mode plain; cluster_start
  as_pg "$PG_BIN/initdb" -k -N -A trust -U postgres -D "$SCRATCH/other" >/dev/null 2>&1 || fail "initdb failed"
  tool_ok --stanza=$STANZA --pg1-path="$SCRATCH/other" --no-online stanza-create
  run_tool --stanza=$STANZA --pg1-path="$SCRATCH/other" check
  assert_rc 58
  run_tool --stanza=$STANZA check
  assert_rc 28
}
