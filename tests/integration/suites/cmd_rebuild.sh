# stanza-create --force (pgvault, issue 5 item 7): a repository holding full, diff and incr backups whose four info
# files were deleted comes back with every complete backup registered as before (info JSON of pgvault and of
# pgBackRest 2.45 equal to the originals), archiving and backing up go on, and the incr restores with equal data.
# Without --force stanza-create answers pgBackRest's 040; an encrypted repository cannot be rebuilt (103).
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

pgbr() {
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn \
    "$@" 2>"$SCRATCH/.stderr")
  RC=$?; ERR=$(cat "$SCRATCH/.stderr"); set -e
}

delete_info_files() {
  rm "$SCRATCH/repo/archive/$STANZA"/archive.info* "$SCRATCH/repo/backup/$STANZA"/backup.info*
  [ -z "$(ls "$SCRATCH/repo/archive/$STANZA" "$SCRATCH/repo/backup/$STANZA" | grep '\.info')" ] || fail "info files left"
}

info_files() { ls "$SCRATCH/repo/archive/$STANZA" "$SCRATCH/repo/backup/$STANZA" | grep '\.info' | sort | tr '\n' ' '; }

# three_backups MODE: full, annotated diff, incr, each after a batch of rows; sets FULL DIFF INCR and FP (data).
three_backups() {
  setup_source "$1"
  make_test_table marks; insert_batch marks A 1 1000
  backup full; FULL=$LAST_LABEL
  insert_batch marks B 1001 2000
  backup diff --annotation=ticket=OPS-7; DIFF=$LAST_LABEL
  insert_batch marks C 2001 2100
  backup incr; INCR=$LAST_LABEL
  FP=$(fingerprint)
}

test_force_rebuilds_full_diff_incr_and_the_incr_restores() {
  pgvault_only "stanza-create --force rebuilding info files is pgvault's (issue 5 item 7)" && return 0
  three_backups gz
  run_tool --stanza=$STANZA --log-level-console=warn --output=json info; assert_rc 0
  local ours_before=$OUT
  pgbr --stanza=$STANZA --output=json info; assert_rc 0
  local theirs_before=$OUT
  python3 -c "import json,sys; b=json.loads(sys.argv[1])[0]['backup']; assert [x['type'] for x in b]==['full','diff','incr'], b" \
    "$ours_before"
  delete_info_files
  # Without --force: pgBackRest's answer for non-empty stanza directories.
  run_tool --stanza=$STANZA stanza-create
  assert_rc 40
  assert_log_contains "backup directory and/or archive directory not empty"
  assert_eq "$(info_files)" ""
  run_tool --stanza=$STANZA --force stanza-create
  assert_rc 0
  assert_log_contains "registered backup '$INCR'"
  assert_eq "$(info_files)" "archive.info archive.info.copy backup.info backup.info.copy "
  cmp "$SCRATCH/repo/backup/$STANZA/backup.info" "$SCRATCH/repo/backup/$STANZA/backup.info.copy" || fail "copy differs"
  # Every backup as before: labels, types, references, timestamps, sizes, LSNs, WAL range, annotation.
  run_tool --stanza=$STANZA --log-level-console=warn --output=json info; assert_rc 0
  assert_eq "$OUT" "$ours_before" "(info JSON after the rebuild)"
  pgbr --stanza=$STANZA --output=json info; assert_rc 0
  assert_eq "$OUT" "$theirs_before" "(pgbackrest info JSON after the rebuild)"
  pgbr --stanza=$STANZA check; assert_rc 0
  # Archiving and backups go on against the rebuilt files.
  insert_batch marks D 2101 2200
  wal_switch_archived
  backup incr
  # The original incr restores and recovers to its end with its data.
  local dir; dir=$(new_pgdata restored)
  restore_to "$dir" --set="$INCR" --type=immediate --target-action=promote
  local port; port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  assert_eq "$(batches marks "$port")" "A:1000,B:1000,C:100"
  stop_restored "$dir"
}

test_force_refuses_an_encrypted_repository() {
  pgvault_only "stanza-create --force rebuilding info files is pgvault's (issue 5 item 7)" && return 0
  setup_source enc-lz4
  backup full
  local before; before=$(repo_listing)
  delete_info_files
  local listing; listing=$(repo_listing)
  run_tool --stanza=$STANZA --force stanza-create
  assert_rc 103
  assert_log_contains "cannot rebuild the info files of an encrypted repository"
  assert_log_contains "HINT: the manifest and WAL sub-passphrases were stored only in backup.info and archive.info"
  assert_repo_unchanged "$listing"
  [ "$before" != "$listing" ] || fail "info files were not deleted"
}

test_force_on_a_valid_stanza_changes_nothing() {
  pgvault_only "stanza-create --force rebuilding info files is pgvault's (issue 5 item 7)" && return 0
  setup_source plain
  backup full
  local before; before=$(repo_listing)
  run_tool --stanza=$STANZA --force stanza-create
  assert_rc 0
  assert_log_contains "already exists on repo1 and is valid"
  assert_repo_unchanged "$before"
}

# Without --force, a lost backup.info beside a present archive.info is pgBackRest's 055, for both tools.
test_one_info_file_missing_is_055_as_pgbackrest() {
  setup_source plain
  backup full
  rm "$SCRATCH/repo/backup/$STANZA"/backup.info*
  run_tool --stanza=$STANZA stanza-create
  assert_rc 55
  assert_log_contains "archive.info exists but backup.info is missing"
  pgbr --stanza=$STANZA stanza-create
  assert_rc 55
}
