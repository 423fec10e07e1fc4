# Two repositories at once (issue 5 item 3): stanza-create and archive-push reach both, backup takes --repo, info
# shows both (and one with --repo), restore and archive-get fall back to repo2 when repo1 is gone, and an unwritable
# repository makes archive-push fail naming it, with nothing half-written and the other repository complete.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# two_repos: repo1 plain, repo2 encrypted lz4 with its own passphrase (repository options are per repository).
two_repos() {
  cluster_init
  mkdir -p "$SCRATCH/repo2"; chown "$PG_OS_USER": "$SCRATCH/repo2"
  conf_set repo2-path "$SCRATCH/repo2"
  conf_set repo2-cipher-type aes-256-cbc
  conf_set repo2-cipher-pass "repo2-only-passphrase"
  conf_set compress-type lz4
}

# segment_in REPO SEG: the archived copy of SEG in REPO (empty when absent).
segment_in() { find "$1/archive/$STANZA" -name "$2-*" -type f 2>/dev/null | head -1; }

test_backups_and_wal_reach_both_and_repo2_restores_alone() {
  two_repos
  cluster_start
  stanza_create
  assert_file "$SCRATCH/repo/backup/$STANZA/backup.info"
  assert_file "$SCRATCH/repo2/backup/$STANZA/backup.info"
  make_test_table t
  insert_batch t A 1 100
  backup full --repo=1
  backup full --repo=2
  insert_batch t B 101 200
  local seg; seg=$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")
  wal_switch_archived
  [ -n "$(segment_in "$SCRATCH/repo" "$seg")" ] || fail "segment $seg missing in repo1"
  [ -n "$(segment_in "$SCRATCH/repo2" "$seg")" ] || fail "segment $seg missing in repo2"
  # The copies differ (repo2 is encrypted) but carry the same SHA-1 of the segment in their names.
  assert_eq "$(basename "$(segment_in "$SCRATCH/repo" "$seg")" | cut -d- -f2 | cut -d. -f1)" \
            "$(basename "$(segment_in "$SCRATCH/repo2" "$seg")" | cut -d- -f2 | cut -d. -f1)"

  tool_ok --stanza=$STANZA info
  assert_out_contains "repo1: backup set size"
  assert_out_contains "repo2: backup set size"
  local repos; repos=$(info_json "sorted({b['database']['repo-key'] for b in d[0]['backup']})")
  assert_eq "$repos" "[1, 2]"
  run_tool --stanza=$STANZA --repo=2 --output=json info
  assert_rc 0
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([b["database"]["repo-key"] for b in d[0]["backup"]])')" "[2]"
  local expected; expected=$(fingerprint)

  # repo1 is lost: restore (no --repo) finds the newest set in repo2 and recovers through archive-get from repo2.
  rm -rf "$SCRATCH/repo"
  local dir; dir=$(new_pgdata restored)
  restore_to "$dir"
  assert_log_contains "repo2: restore backup set"
  local port; port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$expected" "$(fingerprint "$port")"
  assert_eq "$(batches t "$port")" "A:100,B:100"
  stop_restored "$dir"
}

test_unwritable_repo_fails_push_and_names_it() {
  two_repos
  cluster_start
  stanza_create
  local seg; seg=$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")
  cluster_stop
  # Archiving stopped with the cluster: push one segment by hand with repo2's WAL directory read-only.
  local waldir="$SCRATCH/repo2/archive/$STANZA/15-1/${seg:0:16}"
  mkdir -p "$waldir"; chown "$PG_OS_USER": "$waldir"; chmod 555 "$waldir"
  rm -f "$(segment_in "$SCRATCH/repo" "$seg")" "$(segment_in "$SCRATCH/repo2" "$seg")" 2>/dev/null || true
  run_tool --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  assert_rc 104
  assert_err_contains "repo2"
  [ -n "$(segment_in "$SCRATCH/repo" "$seg")" ] || fail "repo1 should hold $seg"
  assert_eq "$(ls -A "$waldir")" "" "(repo2 WAL directory must stay empty: no partial or temporary file)"

  # Once repo2 is writable again the retry succeeds: repo1 already has it (same checksum), repo2 gets it.
  chmod 750 "$waldir"
  run_tool --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  assert_rc 0
  assert_log_contains "already exists in the repo1 archive with the same checksum"
  [ -n "$(segment_in "$SCRATCH/repo2" "$seg")" ] || fail "repo2 should hold $seg after the retry"
  # archive-get with --repo=2 returns the plain segment.
  local got="$SCRATCH/got-$seg"
  run_tool --stanza=$STANZA --repo=2 archive-get "$seg" "$got"
  assert_rc 0
  cmp "$got" "$PGDATA_SRC/pg_wal/$seg" || fail "archive-get from repo2 differs from the segment"
}
