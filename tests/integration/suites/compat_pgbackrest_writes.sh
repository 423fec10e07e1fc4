# Compatibility, pgBackRest 2.45 writes and pgvault reads (issue 6, item 3), for each mode of the matrix: plain
# (compress-type none) and aes-256-cbc with lz4, gz and zst. pgBackRest creates the stanza, archives every WAL
# segment and takes full, diff and incr. Then pgvault: `info` prints what pgBackRest's prints (text identical, JSON
# equal), `verify` is clean, `archive-get` returns the bytes pgBackRest's returns, `restore` of the incr with PITR
# by time (restore_command = pgvault archive-get of pgBackRest's WAL) gives the source data at the target; in plain
# also the full, the diff and a `--delta` restore of the incr over a modified copy. The mixed chain: pgBackRest's
# full, pgvault's incr on top, both tools restore the incr with equal data.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/compat.sh"

suite_cleanup() { cluster_cleanup; }

# archive_get_same SEGMENT: both tools' archive-get of SEGMENT write the same bytes.
archive_get_same() {
  local seg=$1
  mkdir -p "$SCRATCH/get"; chown "$PG_OS_USER": "$SCRATCH/get"
  peer_ok --stanza=$STANZA archive-get "$seg" "$SCRATCH/get/peer"
  tool_must vault --stanza=$STANZA archive-get "$seg" "$SCRATCH/get/vault"
  assert_eq "$(stat -c %s "$SCRATCH/get/vault")" 16777216 "(segment size)"
  cmp "$SCRATCH/get/peer" "$SCRATCH/get/vault" || fail "archive-get of $seg differs between the tools"
  echo "archive-get $seg: same bytes"
}

# delta_over_modified DIR LABEL FINGERPRINT: DIR holds a restored, started and stopped cluster; a relation file
# gets garbage, another goes, stray files appear; `pgvault restore --delta` of LABEL repairs it to FINGERPRINT.
delta_over_modified() {
  local dir=$1 accounts branches sum port
  accounts=$(psql_q "SELECT pg_relation_filepath('pgbench_accounts')")
  branches=$(psql_q "SELECT pg_relation_filepath('pgbench_branches')")
  printf 'garbage' | dd of="$dir/$accounts" bs=1 seek=9000 conv=notrunc status=none
  rm "$dir/$branches"
  echo extra >"$dir/extra.txt"
  chown -R "$PG_OS_USER": "$dir"
  tool_must vault --stanza=$STANZA --pg1-path="$dir" --set="$2" --delta --type=immediate --target-action=promote restore
  assert_file "$dir/$branches"
  assert_no_file "$dir/extra.txt"
  port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$3" "$(fingerprint "$port")"
  stop_restored "$dir"
  echo "delta restore of $2 over a modified copy: data equal"
}

# pgbackrest_writes MODE DEPTH: DEPTH=deep also restores the full and the diff and a --delta restore.
pgbackrest_writes() {
  local full diff incr fp_full fp_diff fp_incr seg
  pgvault_only "pgBackRest reading pgBackRest is not a compatibility check" && return 0
  compat_source peer "$1"
  insert_batch marks full 1 500
  take_backup peer full; full=$LAST_LABEL; fp_full=$(fingerprint)
  [ "${2:-}" == deep ] && pgbench_run -t 100
  insert_batch marks diff 501 1000
  take_backup peer diff; diff=$LAST_LABEL; fp_diff=$(fingerprint)
  [ "${2:-}" == deep ] && pgbench_run -t 100
  insert_batch marks incr 1001 1500
  take_backup peer incr; incr=$LAST_LABEL; fp_incr=$(fingerprint)
  pitr_point pitr

  assert_eq "$(labels_of vault)" "$full $diff $incr" "(labels pgvault reads)"
  same_info --stanza=$STANZA
  same_info
  same_info --stanza=$STANZA --set="$incr"
  verify_ok vault
  seg=$(psql_q "SELECT last_archived_wal FROM pg_stat_archiver")
  archive_get_same "$seg"

  restore_pitr_check vault "$incr" r-incr
  if [ "${2:-}" == deep ]; then
    restore_check vault "$full" "$fp_full" r-full
    restore_check vault "$diff" "$fp_diff" r-diff
    delta_over_modified "$SCRATCH/r-full" "$incr" "$fp_incr"
  fi
}

test_pgbackrest_writes_plain() { pgbackrest_writes plain deep; }
test_pgbackrest_writes_enc_lz4() { pgbackrest_writes enc-lz4; }
test_pgbackrest_writes_enc_gz() { pgbackrest_writes enc-gz; }
test_pgbackrest_writes_enc_zst() { pgbackrest_writes enc-zst; }

# The mixed chain: pgBackRest's full, pgvault's incr on it (reading pgBackRest's manifest as the prior); both tools
# list the same chain and restore the incr with equal data.
test_mixed_chain_pgbackrest_full_pgvault_incr() {
  local full incr fp
  pgvault_only "pgBackRest reading pgBackRest is not a compatibility check" && return 0
  compat_source peer enc-zst
  insert_batch marks a 1 500
  take_backup peer full; full=$LAST_LABEL
  pgbench_run -t 100
  insert_batch marks b 501 1000
  take_backup vault incr; incr=$LAST_LABEL; fp=$(fingerprint)
  [[ "$incr" == "${full}_"*I ]] || fail "incr $incr does not follow $full"
  tool_must peer --stanza=$STANZA --output=json info
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; b=json.load(sys.stdin)[0]["backup"][1]; print(b["prior"], b["reference"])')" \
    "$full ['$full']" "(incr prior and references per pgbackrest)"
  same_info --stanza=$STANZA
  verify_ok peer
  verify_ok vault
  restore_check peer "$incr" "$fp" r-peer
  restore_check vault "$incr" "$fp" r-vault
}
