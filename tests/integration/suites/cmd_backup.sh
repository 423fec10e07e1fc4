# backup by the binary under test, checked by pgBackRest 2.45 itself: full, diff and incr sets restored with
# `pgbackrest restore` (data compared), accepted by `pgbackrest info` and `pgbackrest verify`; references of an
# incr; a page-checksum warning; resume after kill -9; --force over a stale stop file.
# stanza-create and archive-push come from the binary under test when it implements them, else from pgBackRest
# (same repository format).
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

PEER=/usr/bin/pgbackrest

# vault_implements CMD: true when the binary under test has CMD (pgvault answers 201 for the others).
vault_implements() {
  local rc
  set +e; runuser -u "$PG_OS_USER" -- "$VAULT_BIN" --stanza=none --pg1-path=/nonexistent "$1" >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" -ne 201 ]
}

# peer ARGS...: runs pgBackRest 2.45 as postgres with the scratch config; $OUT, $ERR, $RC.
peer() {
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- "$PEER" --config="$SCRATCH/pgbackrest.conf" "$@" 2>"$SCRATCH/.stderr")
  RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
  echo "\$ pgbackrest $* -> $RC" >>"$SCRATCH/tool.log"
  printf '%s\n%s\n' "$OUT" "$ERR" >>"$SCRATCH/tool.log"
}
peer_ok() { peer "$@"; assert_rc 0; }

# setup MODE [SCALE]: cluster, repository mode, archiving and stanza (by pgvault when it can, else by pgBackRest).
setup() {
  cluster_init
  repo_mode "$1"
  if ! vault_implements archive-push; then
    echo "archive_command = '$PEER --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p'" \
      >>"$PGDATA_SRC/postgresql.conf"
  fi
  cluster_start
  if vault_implements stanza-create; then stanza_create; else peer_ok --stanza=$STANZA stanza-create; fi
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
