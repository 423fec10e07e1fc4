# Two-way compatibility with pgBackRest 2.45 on S3 (issue 6, "run the same on S3"): both tools share one bucket on
# moto behind an stunnel TLS front (pgBackRest speaks only HTTPS to S3), encrypted with lz4. pgvault writes and
# pgBackRest lists, verifies and restores with PITR through its own archive-get; pgBackRest writes and pgvault lists,
# verifies and restores; a mixed chain (pgBackRest full, pgvault incr) restores with both. Loopback only.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/compat.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/s3.sh"

suite_cleanup() { cluster_cleanup; s3_cleanup; }

# s3_compat_source WRITER: the cluster archiving through WRITER into the bucket over TLS (self-signed, so
# verify-tls=n for both tools), stanza created by WRITER, pgbench scale 1 and the marks table.
s3_compat_source() {
  pgvault_only "pgBackRest is the peer here" && return 0
  cluster_init
  s3_start
  s3_tls_start
  s3_config tls
  conf_set repo1-storage-verify-tls n
  compat_mode enc-lz4
  archive_through "$1"
  cluster_start
  tool_must "$1" --stanza=$STANZA stanza-create
  pgbench_init 1
  make_test_table marks
}

test_pgvault_writes_to_s3_and_pgbackrest_reads() {
  s3_compat_source vault
  take_backup vault full
  local full=$LAST_LABEL
  pgbench_run -t 200
  take_backup vault incr
  local incr=$LAST_LABEL
  pitr_point A
  same_info --stanza=$STANZA
  verify_ok peer
  verify_ok vault
  restore_pitr_check peer "$incr" r-peer-pitr
  [ -z "$(find "$SCRATCH/repo" -type f 2>/dev/null)" ] || fail "a local repository was written"
  [ -n "$full" ] || fail "no full label"
}

test_pgbackrest_writes_to_s3_and_pgvault_reads() {
  s3_compat_source peer
  take_backup peer full
  pgbench_run -t 200
  take_backup peer incr
  local incr=$LAST_LABEL
  pitr_point B
  same_info --stanza=$STANZA
  verify_ok vault
  restore_pitr_check vault "$incr" r-vault-pitr
}

test_mixed_chain_on_s3_restores_with_both() {
  s3_compat_source peer
  take_backup peer full
  pgbench_run -t 200
  take_backup vault incr
  local incr=$LAST_LABEL
  pitr_point C
  same_info --stanza=$STANZA
  verify_ok peer
  restore_pitr_check vault "$incr" r-vault-mixed
  restore_pitr_check peer "$incr" r-peer-mixed
}
