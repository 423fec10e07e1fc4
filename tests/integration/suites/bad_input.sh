# Bad input: each mistake gives its specific pgBackRest error code and leaves the repository byte-for-byte unchanged
# (a listing of every path with the SHA-1 of every file is compared before and after), and leaves the cluster's data
# or the restore target as it was.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# source_with_backup MODE: cluster with data and one full backup; sets FULL, FP and REPO_BEFORE.
source_with_backup() {
  setup_source "$1" 1
  make_test_table marks
  insert_batch marks A 1 500
  backup full; FULL=$LAST_LABEL
  FP=$(fingerprint)
  REPO_BEFORE=$(repo_listing)
}

# assert_untouched: the repository is unchanged and the source cluster still runs with the same data.
assert_untouched() {
  assert_repo_unchanged "$REPO_BEFORE"
  assert_fingerprint_eq "$FP" "$(fingerprint)"
}

# wrong_passphrase_rc: pgBackRest 2.45 gives CryptoError [095] when the wrong key shows as bad padding at the end of
# an info file, but FormatError [029] when the garbage it decrypts contains a line break before that (random, more
# likely for a larger file). pgvault must always give 095.
assert_wrong_passphrase_rc() {
  if is_pgbackrest; then assert_rc_in 95 29; else assert_rc 95; fi
}

test_wrong_passphrase() {
  local dir
  source_with_backup enc-lz4
  conf_set repo1-cipher-pass not-the-passphrase
  # backup cannot decrypt backup.info.
  run_tool --stanza=$STANZA --type=incr backup
  assert_wrong_passphrase_rc
  assert_log_contains "backup.info"
  # restore finds no usable backup set: BackupSetInvalidError; the target stays empty.
  dir=$(new_pgdata r)
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  assert_rc 75
  assert_eq "$(ls -A "$dir")" "" "(restore target after a failed restore)"
  # check cannot decrypt archive.info.
  run_tool --stanza=$STANZA check
  assert_wrong_passphrase_rc
  # A passphrase on the command line is refused: secrets come only from the config file or the environment.
  run_tool --stanza=$STANZA --repo1-cipher-pass="$CIPHER_PASS" info
  assert_rc 31
  assert_untouched
  # With the right passphrase everything works again on the same repository.
  set_encryption
  backup incr
  assert_eq "$(info_json 'len(d[0]["backup"])')" 2
}

test_stanza_not_created() {
  local dir
  source_with_backup plain
  # A stanza configured for the same cluster but never created: backup.info is missing.
  CONF_STANZA=()
  write_config
  cat >>"$SCRATCH/pgbackrest.conf" <<EOF

[other]
pg1-path=$PGDATA_SRC
pg1-port=$PGPORT_SRC
pg1-socket-path=$SCRATCH
EOF
  run_tool --stanza=other --type=full backup
  assert_rc 55
  assert_log_contains "backup.info"
  dir=$(new_pgdata r)
  run_tool --stanza=other --pg1-path="$dir" restore
  assert_rc 75
  assert_eq "$(ls -A "$dir")" "" "(restore target after a failed restore)"
  # A stanza absent from the configuration has no pg1-path.
  run_tool --stanza=nosuch --type=full backup
  assert_rc 37
  assert_no_file "$SCRATCH/repo/backup/other"
  assert_no_file "$SCRATCH/repo/backup/nosuch"
  assert_untouched
}

test_restore_into_non_empty_pgdata() {
  local dir
  source_with_backup enc-lz4
  dir=$(new_pgdata r)
  echo "keep me" >"$dir/notes.txt"
  chown "$PG_OS_USER": "$dir/notes.txt"
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  assert_rc 40
  assert_eq "$(ls -A "$dir")" "notes.txt" "(restore target content)"
  assert_eq "$(cat "$dir/notes.txt")" "keep me"
  assert_untouched
}

test_restore_over_running_cluster() {
  source_with_backup plain
  run_tool --stanza=$STANZA restore
  assert_rc 38
  run_tool --stanza=$STANZA --delta restore
  assert_rc 38
  run_tool --stanza=$STANZA --delta --force restore
  assert_rc 38
  assert_file "$PGDATA_SRC/postmaster.pid"
  assert_no_file "$PGDATA_SRC/recovery.signal"
  assert_file "$PGDATA_SRC/global/pg_control"
  assert_untouched
}

test_pg1_path_of_another_cluster() {
  source_with_backup plain
  as_pg "$PG_BIN/initdb" -k -N -A trust -U postgres -D "$SCRATCH/other" >/dev/null 2>&1 || fail "initdb of other failed"
  # The other cluster's system id does not match the stanza: BackupMismatchError.
  run_tool --stanza=$STANZA --pg1-path="$SCRATCH/other" --type=full backup
  assert_rc 51
  assert_log_contains "system-id"
  # check connects to the running cluster (pg1-port) and finds it is not the one at pg1-path: DbMismatchError.
  run_tool --stanza=$STANZA --pg1-path="$SCRATCH/other" check
  assert_rc 58
  assert_untouched
}

test_backup_with_archiving_off() {
  source_with_backup enc-lz4
  pg_stop "$PGDATA_SRC"
  pg_start "$PGDATA_SRC" "" archive_mode=off
  assert_eq "$(psql_q "SHOW archive_mode")" off
  REPO_BEFORE=$(repo_listing)   # the shutdown archived the last segment
  run_tool --stanza=$STANZA --type=full backup
  assert_rc 87
  assert_log_contains "archive_mode"
  assert_untouched
}

# pgBackRest refuses an offline backup while postmaster.pid exists.
test_offline_backup_of_running_cluster() {
  source_with_backup plain
  run_tool --stanza=$STANZA --type=full --no-online backup
  assert_rc 38
  assert_untouched
}
