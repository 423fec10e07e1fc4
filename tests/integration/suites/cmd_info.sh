# info: on a repository written by the real pgBackRest 2.45 (stanza-create, full, annotated diff, incr, encrypted,
# lz4), the binary under test prints exactly what `pgbackrest info` prints, text and JSON, with and without
# --stanza, --set, --type and --repo; the backup lock shows as "backup/expire running"; a wrong passphrase and a
# missing stanza give pgBackRest's status codes.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() {
  cluster_cleanup
  [ -f "$SCRATCH/holder.pid" ] && kill "$(cat "$SCRATCH/holder.pid")" 2>/dev/null || true
}

pgbr_ok() {
  runuser -u postgres -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn "$@" \
    >>"$SCRATCH/pgbr.log" 2>&1 || { tail -20 "$SCRATCH/pgbr.log"; fail "pgbackrest $* failed"; }
}

# pgbackrest_repository: a cluster archiving through pgBackRest and three pgBackRest backups; sets FULL, DIFF, INCR.
pgbackrest_repository() {
  cluster_init; repo_mode enc-lz4
  echo "archive_command = '/usr/bin/pgbackrest --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p'" \
    >>"$PGDATA_SRC/postgresql.conf"
  cluster_start
  pgbr_ok --stanza=$STANZA stanza-create
  make_test_table marks; insert_batch marks A 1 1000
  pgbr_ok --stanza=$STANZA --type=full backup
  insert_batch marks B 1001 2000
  pgbr_ok --stanza=$STANZA --type=diff --annotation=source=it --annotation="reason=nightly run" backup
  insert_batch marks C 2001 2100
  pgbr_ok --stanza=$STANZA --type=incr backup
  local labels
  labels=($(ls "$SCRATCH/repo/backup/$STANZA" | grep -E '^[0-9]{8}-[0-9]{6}F' | sort))
  FULL=${labels[0]:-}; DIFF=${labels[1]:-}; INCR=${labels[2]:-}
  echo "labels: $FULL $DIFF $INCR"
}

# same_output ARGS...: the binary under test and pgBackRest print the same bytes (console logging at warn, so only
# the command's own output is compared; command substitution drops the final newline of both).
same_output() {
  local expected actual
  expected=$(runuser -u postgres -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn "$@" 2>&1)
  actual=$(runuser -u postgres -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn "$@" 2>&1)
  [ "$expected" == "$actual" ] || fail "info $* differs from pgbackrest:
$(diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"))"
  echo "same: $*"
}

test_info_equals_pgbackrest_on_a_pgbackrest_repository() {
  pgbackrest_repository
  [ -n "$INCR" ] || fail "expected three backups"
  same_output --stanza=$STANZA info
  same_output --stanza=$STANZA --output=json info
  same_output info
  same_output --output=json info
  same_output --stanza=$STANZA --set="$DIFF" info
  same_output --stanza=$STANZA --set="$DIFF" --output=json info
  same_output --stanza=$STANZA --set="$FULL" info
  same_output --stanza=$STANZA --type=incr info
  same_output --stanza=$STANZA --type=diff --output=json info
  same_output --stanza=$STANZA --repo=1 info
  same_output --stanza=$STANZA --set=20200101-000000F info
  same_output --stanza=$STANZA --set=20200101-000000F --output=json info
  same_output --stanza=nosuch info
  same_output --stanza=nosuch --output=json info
  # The annotation is in JSON and in --set text.
  run_tool --stanza=$STANZA --log-level-console=warn --set="$DIFF" info
  assert_out_contains "                reason: nightly run"
}

test_info_shows_a_running_backup_like_pgbackrest() {
  pgbackrest_repository
  local lock=$SCRATCH/lock/$STANZA-backup.lock
  runuser -u postgres -- bash -c "exec 9<>'$lock'; flock -x 9; echo \"{\\\"execId\\\":\\\"\$\$-00000001\\\",\\\"pctCplt\\\":1234,\\\"pid\\\":\$\$}\" >&9; exec sleep 120" &
  echo $! >"$SCRATCH/holder.pid"
  for _ in $(seq 1 50); do grep -q pid "$lock" 2>/dev/null && break; sleep 0.1; done
  run_tool --stanza=$STANZA --log-level-console=warn info
  assert_out_contains "    status: ok (backup/expire running - 12.34% complete)"
  same_output --stanza=$STANZA info
  same_output --stanza=$STANZA --output=json info
  kill "$(cat "$SCRATCH/holder.pid")"
}

test_info_status_codes_for_missing_stanza_and_wrong_passphrase() {
  cluster_init; repo_mode enc-lz4
  run_tool --log-level-console=warn info
  assert_rc 0
  assert_eq "$OUT" "No stanzas exist in the repository."
  run_tool --stanza=$STANZA --log-level-console=warn --output=json info
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["status"]["code"])')" "1"
  cluster_start
  stanza_create
  run_tool --stanza=$STANZA --log-level-console=warn info
  assert_out_contains "status: error (no valid backups)"
  conf_set repo1-cipher-pass not-the-passphrase
  run_tool --stanza=$STANZA --log-level-console=warn --output=json info
  assert_rc 0
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["status"]["code"], d["repo"][0]["status"]["code"])')" "99 99"
}
