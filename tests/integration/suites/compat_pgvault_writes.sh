# Compatibility, pgvault writes and pgBackRest 2.45 reads (issue 6, item 2), for each mode of the matrix: plain
# (compress-type none) and aes-256-cbc with lz4, gz and zst. pgvault creates the stanza, archives every WAL segment
# (archive_command through the pgbackrest-pgvault-wrapper script) and takes full, diff and incr. Then pgBackRest:
# `check` passes, `info` prints what pgvault's prints (text identical, JSON equal), `verify` is clean, `restore` of
# the incr with PITR by time through `pgbackrest archive-get` over pgvault's WAL gives the source data at the target
# (in plain also the full and the diff), and `expire` removes exactly the sets and WAL pgvault's --dry-run names.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/compat.sh"

suite_cleanup() { cluster_cleanup; }

# pgvault_writes MODE DEPTH: DEPTH=deep also restores the full and the diff with pgBackRest.
pgvault_writes() {
  local full diff incr fp_full fp_diff
  pgvault_only "pgBackRest reading pgBackRest is not a compatibility check" && return 0
  compat_source vault "$1"
  insert_batch marks full 1 500
  take_backup vault full; full=$LAST_LABEL; fp_full=$(fingerprint)
  [ "${2:-}" == deep ] && pgbench_run -t 100
  insert_batch marks diff 501 1000
  take_backup vault diff; diff=$LAST_LABEL; fp_diff=$(fingerprint)
  [ "${2:-}" == deep ] && pgbench_run -t 100
  insert_batch marks incr 1001 1500
  take_backup vault incr; incr=$LAST_LABEL
  pitr_point pitr

  # pgBackRest's check reads pgvault's info files and sees a switched segment arrive through the wrapper.
  peer_ok --stanza=$STANZA check
  assert_eq "$(labels_of peer)" "$full $diff $incr" "(labels pgbackrest reads)"
  assert_eq "$(info_backups_summary peer)" "$(info_backups_summary vault)" "(types, sizes, WAL ranges)"
  same_info --stanza=$STANZA
  same_info
  same_info --stanza=$STANZA --set="$incr"
  verify_ok peer

  restore_pitr_check peer "$incr" r-incr
  if [ "${2:-}" == deep ]; then
    restore_check peer "$full" "$fp_full" r-full
    restore_check peer "$diff" "$fp_diff" r-diff
  fi

  # A second full makes the first chain and the WAL before the new full expirable under retention-full=1.
  take_backup vault full
  expire_same_as_dry_run --repo1-retention-full=1
  assert_eq "$(labels_of peer)" "$LAST_LABEL" "(labels after expire)"
  verify_ok peer
}

test_pgvault_writes_plain() { pgvault_writes plain deep; }
test_pgvault_writes_enc_lz4() { pgvault_writes enc-lz4; }
test_pgvault_writes_enc_gz() { pgvault_writes enc-gz; }
test_pgvault_writes_enc_zst() { pgvault_writes enc-zst; }
