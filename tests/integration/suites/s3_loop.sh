# The backup/restore loop on an S3 repository (moto_server on 127.0.0.1): stanza-create, full/incr/diff backups,
# archive-push/get, restore of the latest set and PITR by time, encrypted with lz4, data compared as the POSIX
# suites do. TLS through stunnel with a CA file and with verify-tls=n; signatures checked by moto's IAM mode;
# credentials from the config and from the AWS environment variables.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/s3.sh"

suite_cleanup() { cluster_cleanup; s3_cleanup; }

# no_local_repository: nothing of the repository was written to the local repo1-path.
no_local_repository() {
  [ -z "$(find "$SCRATCH/repo" -type f 2>/dev/null)" ] || fail "files written under the local repo1-path: $(find "$SCRATCH/repo" -type f | head)"
}

test_s3_backups_archive_restore_and_pitr_encrypted_lz4() {
  pgvault_only "pgBackRest is tested against S3 in its own suite" && return 0
  local prefix target_time dir port key seg sha count
  cluster_init
  s3_start
  s3_config
  repo_mode enc-lz4
  cluster_start
  stanza_create
  pgbench_init 1
  make_test_table marks
  insert_batch marks A 1 1000
  backup full
  insert_batch marks B 1001 2000
  pgbench_run -t 200
  backup incr
  insert_batch marks C 2001 3000
  backup diff
  FP_C=$(fingerprint)
  sleep 1
  target_time=$(psql_q "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
  sleep 1
  insert_batch marks D 3001 4000
  wal_switch_archived
  FP_D=$(fingerprint)
  no_local_repository

  # The repository is in the bucket, encrypted, with three sets.
  prefix=$(s3_repo_prefix)
  assert_eq "$(aws_local s3 cp "s3://$S3_BUCKET/$prefix/backup/$STANZA/backup.info" - | head -c 8)" "Salted__" "(backup.info)"
  assert_eq "$(info_json 'len(d[0]["backup"])')" 3 "(sets in info)"
  assert_eq "$(info_json '",".join(b["type"] for b in d[0]["backup"])')" "full,incr,diff"
  assert_eq "$(s3_open_uploads)" 0 "(open multipart uploads)"

  # archive-get of every archived segment gives back the bytes whose SHA-1 names the object.
  count=0
  for key in $(s3_keys "$prefix/archive/$STANZA/15-1/0000000100000000/"); do
    key=$(basename "$key")
    [[ "$key" =~ ^[0-9A-F]{24}-[0-9a-f]{40} ]] || continue
    seg=${key:0:24}; sha=${key:25:40}
    tool_ok --stanza=$STANZA archive-get "$seg" "$SCRATCH/got-$seg"
    assert_eq "$(sha1sum <"$SCRATCH/got-$seg" | cut -c1-40)" "$sha" "(archive-get of $seg)"
    assert_eq "$(stat -c %s "$SCRATCH/got-$seg")" 16777216 "(size of $seg)"
    count=$((count + 1))
  done
  [ "$count" -ge 3 ] || fail "only $count archived segments in the bucket"
  echo "archive-get checked $count segments"

  # Restore of the latest set plus WAL: everything up to batch D.
  dir=$(new_pgdata r-latest); port=$(kernel_port)
  restore_to "$dir"
  start_restored "$dir" "$port" promote
  assert_eq "$(batches marks "$port")" "A:1000,B:1000,C:1000,D:1000"
  assert_fingerprint_eq "$FP_D" "$(fingerprint "$port")"
  stop_restored "$dir"

  # PITR by time: exactly batches A-C.
  dir=$(new_pgdata r-time); port=$(kernel_port)
  restore_to "$dir" --type=time --target="$target_time" --target-action=promote
  start_restored "$dir" "$port" promote
  assert_eq "$(batches marks "$port")" "A:1000,B:1000,C:1000"
  assert_fingerprint_eq "$FP_C" "$(fingerprint "$port")"
  stop_restored "$dir"
  no_local_repository
}

# tls_round_trip: stanza, full backup and restore over TLS with the current config; data compared.
tls_round_trip() {
  local dir port
  repo_mode plain
  cluster_start
  stanza_create
  pgbench_init 1
  backup full
  FP=$(fingerprint)
  dir=$(new_pgdata r-tls); port=$(kernel_port)
  restore_to "$dir"
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  stop_restored "$dir"
  no_local_repository
}

test_s3_tls_with_ca_file() {
  pgvault_only "stunnel front for pgvault's S3 driver" && return 0
  cluster_init
  s3_start
  s3_tls_start
  s3_config tls
  conf_set repo1-storage-ca-file "$S3_CA_FILE"
  tls_round_trip

  # Without the CA the self-signed certificate is refused at once, with a hint.
  conf_unset repo1-storage-ca-file
  # archive-get reports a repository it cannot read as a warning naming the cause, then 103 (as pgBackRest).
  run_tool --stanza=$STANZA archive-get 000000010000000000000001 "$SCRATCH/wal-got"
  assert_rc 103
  assert_err_contains "[049] s3 GET of key '$(s3_repo_prefix)/archive/$STANZA/archive.info' in bucket '$S3_BUCKET' failed: tls failure with '127.0.0.1:$S3_TLS_PORT'"
  assert_err_contains "HINT: check repo-storage-ca-file"
}

test_s3_tls_without_verification() {
  pgvault_only "stunnel front for pgvault's S3 driver" && return 0
  cluster_init
  s3_start
  s3_tls_start
  s3_config tls
  conf_set repo1-storage-verify-tls n
  tls_round_trip
}

# archive_get_probe: archive-get of a segment (a repository it cannot read is a warning with the cause, then exit
# code 103, as in pgBackRest); its first request is a GET of archive.info, a key whose URL has no
# percent-encoding (moto's IAM mode wrongly rejects correct signatures of URLs that have, e.g. listing prefixes).
archive_get_probe() { run_tool --stanza=$STANZA archive-get 000000010000000000000001 "$SCRATCH/wal-got"; }

test_s3_wrong_secret_is_a_clear_signature_error() {
  pgvault_only "moto IAM mode" && return 0
  cluster_init
  s3_start auth
  s3_config
  conf_set repo1-s3-key-secret "not-the-secret-$RANDOM"
  archive_get_probe
  assert_rc 103
  assert_err_contains "[039] s3 GET of key '$(s3_repo_prefix)/archive/$STANZA/archive.info' in bucket '$S3_BUCKET' failed with 403 SignatureDoesNotMatch"
  assert_err_contains "HINT: check the s3 key, secret and token"
  [[ "$OUT$ERR" != *"$S3_SECRET"* ]] || fail "the secret appears in the output"
  [[ "$OUT$ERR" != *"not-the-secret"* ]] || fail "the wrong secret appears in the output"

  # The right key signs correctly: moto authenticates the same request and answers that archive.info is missing.
  conf_set repo1-s3-key-secret "$S3_SECRET"
  archive_get_probe
  [[ "$ERR" != *"SignatureDoesNotMatch"* ]] || fail "correct key rejected: $ERR"
  assert_err_contains "archive.info"
}

test_s3_keys_from_the_environment() {
  pgvault_only "credential fallback of pgvault" && return 0
  cluster_init
  s3_start auth
  s3_config
  conf_unset repo1-s3-key
  conf_unset repo1-s3-key-secret

  # No key in the config and none in the environment: a clear error.
  archive_get_probe
  assert_rc 37
  assert_err_contains "option 'repo1-s3-key' is required: no s3 credentials"

  # The environment's keys are the ones signed with: a wrong secret there is refused by moto, the right one is not.
  export AWS_ACCESS_KEY_ID=$S3_KEY AWS_SECRET_ACCESS_KEY="wrong-$RANDOM"
  archive_get_probe
  assert_rc 103
  assert_err_contains "[039] s3 GET of key"
  assert_err_contains "403 SignatureDoesNotMatch"
  export AWS_SECRET_ACCESS_KEY=$S3_SECRET
  archive_get_probe
  [[ "$ERR" != *"SignatureDoesNotMatch"* ]] || fail "environment keys rejected: $ERR"
  assert_err_contains "archive.info"
}
