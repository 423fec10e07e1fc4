# stanza-create, stanza-upgrade and stanza-delete: files written exactly once per repository and readable by
# pgBackRest 2.45, the pgBackRest decision table (040, 055, 028, 058, 062), upgrade history ids, and delete's guards
# (055 without the stop file, 038 while PostgreSQL runs).
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# pgbr ARGS...: the real pgBackRest on the same configuration ($OUT, $ERR, $RC like run_tool).
pgbr() {
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" "$@" 2>"$SCRATCH/.stderr")
  RC=$?; ERR=$(cat "$SCRATCH/.stderr"); set -e
}

# other_cluster: a second initdb'd cluster (never started), whose system identifier differs; prints its path.
other_cluster() {
  as_pg "$PG_BIN/initdb" -k -N -A trust -U postgres -D "$SCRATCH/other" >/dev/null 2>&1 || fail "initdb of other failed"
  echo "$SCRATCH/other"
}

info_files() { ls "$SCRATCH/repo/archive/$STANZA" "$SCRATCH/repo/backup/$STANZA" 2>/dev/null | grep info | sort | tr '\n' ' '; }

test_create_encrypted_stanza_is_read_and_used_by_pgbackrest() {
  cluster_init; repo_mode enc-lz4; cluster_start
  run_tool --stanza=$STANZA stanza-create
  assert_rc 0
  assert_log_contains "stanza-create for stanza '$STANZA' on repo1"
  assert_eq "$(info_files)" "archive.info archive.info.copy backup.info backup.info.copy "
  cmp "$SCRATCH/repo/archive/$STANZA/archive.info" "$SCRATCH/repo/archive/$STANZA/archive.info.copy" || fail "archive.info copy differs"
  cmp "$SCRATCH/repo/backup/$STANZA/backup.info" "$SCRATCH/repo/backup/$STANZA/backup.info.copy" || fail "backup.info copy differs"
  head -c 8 "$SCRATCH/repo/backup/$STANZA/backup.info" | grep -q Salted__ || fail "backup.info is not encrypted"
  # The two sub-passphrases are fresh 64-character base64 strings, different from each other.
  local a b
  a=$(openssl enc -d -aes-256-cbc -md sha1 -pass pass:"$CIPHER_PASS" -in "$SCRATCH/repo/archive/$STANZA/archive.info" | grep '^cipher-pass=')
  b=$(openssl enc -d -aes-256-cbc -md sha1 -pass pass:"$CIPHER_PASS" -in "$SCRATCH/repo/backup/$STANZA/backup.info" | grep '^cipher-pass=')
  [[ "$a" =~ ^cipher-pass=\"[A-Za-z0-9+/]{64}\"$ ]] || fail "archive sub-passphrase: $a"
  [[ "$b" =~ ^cipher-pass=\"[A-Za-z0-9+/]{64}\"$ ]] || fail "backup sub-passphrase: $b"
  assert_ne "$a" "$b"
  # pgBackRest reads the stanza, checks it and backs up into it.
  pgbr --stanza=$STANZA --output=json info; assert_rc 0
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["status"]["code"], d["cipher"], d["db"][0]["version"])')" "2 aes-256-cbc 15"
  pgbr --stanza=$STANZA --log-level-console=warn check; assert_rc 0
  make_test_table marks; insert_batch marks A 1 100
  pgbr --stanza=$STANZA --log-level-console=warn --type=full backup; assert_rc 0
  run_tool --stanza=$STANZA --log-level-console=warn --output=json info; assert_rc 0
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["status"]["code"], len(d["backup"]), d["backup"][0]["type"])')" "0 1 full"
}

test_create_again_is_valid_and_restores_a_missing_copy() {
  cluster_init; repo_mode plain; cluster_start
  stanza_create
  local before; before=$(sha1sum "$SCRATCH/repo/backup/$STANZA/backup.info" | cut -d' ' -f1)
  run_tool --stanza=$STANZA stanza-create; assert_rc 0
  assert_log_contains "stanza '$STANZA' already exists on repo1 and is valid"
  rm "$SCRATCH/repo/archive/$STANZA/archive.info.copy" "$SCRATCH/repo/backup/$STANZA/backup.info"
  run_tool --stanza=$STANZA stanza-create; assert_rc 0
  assert_eq "$(info_files)" "archive.info archive.info.copy backup.info backup.info.copy "
  cmp "$SCRATCH/repo/archive/$STANZA/archive.info" "$SCRATCH/repo/archive/$STANZA/archive.info.copy" || fail "copy not restored"
  assert_eq "$(sha1sum "$SCRATCH/repo/backup/$STANZA/backup.info" | cut -d' ' -f1)" "$before" "(restored backup.info)"
}

test_create_in_non_empty_directory_is_040_and_writes_nothing() {
  cluster_init; repo_mode plain; cluster_start
  mkdir -p "$SCRATCH/repo/backup/$STANZA/20260101-000000F"; chown -R postgres: "$SCRATCH/repo"
  local before; before=$(repo_listing)
  run_tool --stanza=$STANZA stanza-create
  assert_rc 40
  assert_log_contains "backup directory not empty"
  assert_repo_unchanged "$before"
}

test_create_with_one_info_file_missing_is_055() {
  cluster_init; repo_mode plain; cluster_start
  stanza_create
  # A stanza in use (WAL archived): pgvault completes one info file alone in otherwise empty directories, which is
  # what a killed stanza-create leaves (tests/reliability/scenarios/crash.sh), and refuses only this.
  wal_switch_archived
  rm "$SCRATCH/repo/backup/$STANZA/backup.info" "$SCRATCH/repo/backup/$STANZA/backup.info.copy"
  local before; before=$(repo_listing)
  run_tool --stanza=$STANZA stanza-create
  assert_rc 55
  assert_log_contains "archive.info exists but backup.info is missing"
  assert_repo_unchanged "$before"
}

test_create_with_wrong_passphrase_fails_and_changes_nothing() {
  cluster_init; repo_mode enc-lz4; cluster_start
  stanza_create
  local before; before=$(repo_listing)
  conf_set repo1-cipher-pass not-the-passphrase
  run_tool --stanza=$STANZA stanza-create
  # A wrong key fails the padding check (095) or, rarely, decrypts to garbage (029/026).
  [[ "$RC" == 95 || "$RC" == 29 || "$RC" == 26 ]] || fail "expected 095, 029 or 026, got $RC: $ERR"
  assert_repo_unchanged "$before"
}

test_create_against_another_cluster_is_058() {
  cluster_init; repo_mode plain; cluster_start
  local other; other=$(other_cluster)
  run_tool --stanza=$STANZA --pg1-path="$other" stanza-create
  assert_rc 58
  assert_eq "$(ls -A "$SCRATCH/repo")" "" "(repository after a refused stanza-create)"
}

test_create_offline_and_info_mismatch_is_028() {
  cluster_init; repo_mode plain
  local other; other=$(other_cluster)
  # --no-online reads pg_control only: the stanza is created for the other cluster.
  run_tool --stanza=$STANZA --pg1-path="$other" --no-online stanza-create; assert_rc 0
  cluster_start
  run_tool --stanza=$STANZA stanza-create
  assert_rc 28
  assert_log_contains "backup and archive info files exist but do not match the database"
}

test_create_while_stopped_is_062() {
  cluster_init; repo_mode plain; cluster_start
  tool_ok --stanza=$STANZA stop
  run_tool --stanza=$STANZA stanza-create
  assert_rc 62
  assert_log_contains "stop file exists for stanza $STANZA"
  assert_eq "$(ls -A "$SCRATCH/repo")" ""
  tool_ok --stanza=$STANZA start
  stanza_create
}

test_upgrade_adds_history_id_2_after_a_new_cluster() {
  cluster_init; repo_mode plain; cluster_start
  stanza_create
  run_tool --stanza=$STANZA stanza-upgrade; assert_rc 0
  assert_log_contains "stanza '$STANZA' on repo1 is already up to date"
  cluster_stop
  local other; other=$(other_cluster)
  local sysid; sysid=$(as_pg "$PG_BIN/pg_controldata" "$other" | awk -F': *' '/system identifier/ {print $2}')
  run_tool --stanza=$STANZA --pg1-path="$other" --no-online stanza-upgrade; assert_rc 0
  grep -q "^2={\"db-id\":$sysid,\"db-version\":\"15\"}$" "$SCRATCH/repo/archive/$STANZA/archive.info" || fail "archive.info lacks history 2"
  grep -q "^db-id=2$" "$SCRATCH/repo/backup/$STANZA/backup.info" || fail "backup.info current id is not 2"
  grep -q "^2={\"db-catalog-version\":202209061,\"db-control-version\":1300,\"db-system-id\":$sysid,\"db-version\":\"15\"}$" \
    "$SCRATCH/repo/backup/$STANZA/backup.info" || fail "backup.info lacks history 2"
  cmp "$SCRATCH/repo/backup/$STANZA/backup.info" "$SCRATCH/repo/backup/$STANZA/backup.info.copy" || fail "copy differs"
  # pgBackRest sees both clusters.
  pgbr --stanza=$STANZA --output=json info; assert_rc 0
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print([x["id"] for x in d["db"]], "15-2" in [a["id"] for a in d["archive"]])')" "[1, 2] True"
}

test_delete_requires_stop_file_then_cluster_down() {
  cluster_init; repo_mode plain; cluster_start
  stanza_create
  local before; before=$(repo_listing)
  run_tool --stanza=$STANZA stanza-delete
  assert_rc 55
  assert_log_contains "stop file does not exist for stanza '$STANZA'"
  assert_log_contains "has the pgbackrest stop command been run on this server for this stanza?"
  tool_ok --stanza=$STANZA stop
  run_tool --stanza=$STANZA stanza-delete
  assert_rc 38
  assert_log_contains "postmaster.pid exists - looks like PostgreSQL is running"
  assert_repo_unchanged "$before"
  cluster_stop
  run_tool --stanza=$STANZA stanza-delete; assert_rc 0
  assert_no_file "$SCRATCH/repo/archive/$STANZA"
  assert_no_file "$SCRATCH/repo/backup/$STANZA"
  assert_no_file "$SCRATCH/lock/$STANZA.stop"
}

test_delete_with_force_while_running() {
  cluster_init; repo_mode plain; cluster_start
  stanza_create
  tool_ok --stanza=$STANZA stop
  run_tool --stanza=$STANZA --force stanza-delete; assert_rc 0
  assert_no_file "$SCRATCH/repo/backup/$STANZA"
  assert_no_file "$SCRATCH/lock/$STANZA.stop"
  # The stanza can be created again afterwards.
  stanza_create
}

test_create_force_rebuilds_lost_info_files() {
  pgvault_only "stanza-create --force rebuilding info files is pgvault's (issue 5 item 7)" && return 0
  cluster_init; repo_mode plain
  echo "archive_command = '/usr/bin/pgbackrest --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p'" \
    >>"$PGDATA_SRC/postgresql.conf"
  cluster_start
  pgbr --stanza=$STANZA stanza-create; assert_rc 0
  make_test_table marks; insert_batch marks A 1 1000
  pgbr --stanza=$STANZA --type=full backup; assert_rc 0
  insert_batch marks B 1001 2000
  pgbr --stanza=$STANZA --type=diff backup; assert_rc 0
  insert_batch marks C 2001 2100
  pgbr --stanza=$STANZA --type=incr backup; assert_rc 0
  local fp; fp=$(fingerprint)
  pgbr --stanza=$STANZA --output=json info; assert_rc 0
  local before=$OUT
  rm "$SCRATCH/repo/archive/$STANZA"/archive.info* "$SCRATCH/repo/backup/$STANZA"/backup.info*
  run_tool --stanza=$STANZA stanza-create
  assert_rc 40
  run_tool --stanza=$STANZA --force stanza-create
  assert_rc 0
  assert_eq "$(info_files)" "archive.info archive.info.copy backup.info backup.info.copy "
  # pgBackRest sees exactly the backups it had registered, and restores the incr from the rebuilt files.
  pgbr --stanza=$STANZA --output=json info; assert_rc 0
  assert_eq "$OUT" "$before" "(pgbackrest info after the rebuild)"
  local dir; dir=$(new_pgdata restored)
  pgbr --stanza=$STANZA --pg1-path="$dir" --type=immediate --target-action=promote restore; assert_rc 0
  local port; port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
  stop_restored "$dir"
}
