# The issue-5 commands on an S3 repository (moto on 127.0.0.1): expire with retention-full=2 of 3 fulls (objects
# of the expired set and its WAL gone from the bucket), verify clean (exit 0) and after one object in the bucket is
# corrupted (non-zero, names it), repo-ls / repo-get read the bucket, annotate, two repositories (repo1 POSIX +
# repo2 S3: archive-push reaches both, backup --repo=2, restore from repo2 with repo1 deleted) and asynchronous
# archive-push to S3.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/s3.sh"

suite_cleanup() { cluster_cleanup; s3_cleanup; }

# s3_source MODE: cluster with repo1 on moto in MODE, started, stanza created, a marks table with batch A.
s3_source() {
  cluster_init
  s3_start
  s3_config
  repo_mode "$1"
  assert_config_loopback_only
  cluster_start
  stanza_create
  make_test_table marks
  insert_batch marks A 1 1000
}

# segment_key PREFIX SEG: the bucket key of an archived segment under a repository prefix (empty when absent).
segment_key() { s3_keys "$1/archive/$STANZA/15-1/${2:0:16}/$2-" | grep -v '\.tmp$' | head -1; }

test_s3_expire_keeps_two_fulls_of_three() {
  pgvault_only "pgvault on S3" && return 0
  local prefix first second third old_seg
  s3_source plain
  conf_set repo1-retention-full 2
  prefix=$(s3_repo_prefix)
  backup full; first=$LAST_LABEL
  old_seg=$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")
  insert_batch marks B 1001 2000
  wal_switch_archived
  [ -n "$(segment_key "$prefix" "$old_seg")" ] || fail "segment $old_seg not in the bucket"
  backup full; second=$LAST_LABEL
  insert_batch marks C 2001 3000
  backup full; third=$LAST_LABEL     # expire-auto removes the first full

  assert_eq "$(info_json '",".join(b["label"] for b in d[0]["backup"])')" "$second,$third" "(sets kept)"
  assert_eq "$(s3_keys "$prefix/backup/$STANZA/$first/")" "" "(objects of the expired $first)"
  [ -n "$(s3_keys "$prefix/backup/$STANZA/$second/" | grep backup.manifest)" ] || fail "$second lost its manifest"
  assert_eq "$(segment_key "$prefix" "$old_seg")" "" "(WAL older than the oldest kept backup)"
  # An explicit expire with nothing left to remove changes nothing.
  tool_ok --stanza=$STANZA expire
  assert_eq "$(info_json 'len(d[0]["backup"])')" 2

  # The oldest kept full still restores.
  local dir port; dir=$(new_pgdata r-second); port=$(kernel_port)
  restore_to "$dir" --set="$second" --type=immediate --target-action=promote
  start_restored "$dir" "$port" promote
  assert_eq "$(batches marks "$port")" "A:1000,B:1000"
  stop_restored "$dir"
}

test_s3_verify_clean_then_a_corrupted_object_is_named() {
  pgvault_only "pgvault on S3" && return 0
  local prefix key
  s3_source plain
  backup full
  wal_switch_archived
  run_tool --stanza=$STANZA --log-level-console=off --output=json verify
  assert_rc 0
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["status"] if isinstance(d, list) else d["status"])')" ok

  # Flip a byte of one backed-up file in the bucket (same size, so only its checksum tells).
  prefix=$(s3_repo_prefix)
  key="$prefix/backup/$STANZA/$LAST_LABEL/pg_data/global/pg_control"
  aws_local s3 cp "s3://$S3_BUCKET/$key" "$SCRATCH/object" >/dev/null
  python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=0xFF; open(p,'wb').write(b)" \
    "$SCRATCH/object"
  aws_local s3 cp "$SCRATCH/object" "s3://$S3_BUCKET/$key" >/dev/null
  run_tool --stanza=$STANZA --log-level-console=off --output=text verify
  assert_ne "$RC" 0 "(verify of a corrupted repository)"
  assert_out_contains "pg_data/global/pg_control"
  run_tool --stanza=$STANZA --log-level-console=off --output=json verify
  assert_ne "$RC" 0
  assert_out_contains "global/pg_control"
}

test_s3_repo_ls_repo_get_and_annotate() {
  pgvault_only "pgvault on S3" && return 0
  local prefix
  s3_source plain
  backup full --annotation=source=nightly
  prefix=$(s3_repo_prefix)

  tool_ok --log-level-console=warn repo-ls "backup/$STANZA"
  for name in "$LAST_LABEL" backup.info backup.info.copy; do
    printf '%s\n' "$OUT" | grep -qx "$name" || fail "repo-ls of backup/$STANZA lacks $name: $OUT"
  done
  tool_ok --log-level-console=warn --recurse --output=json repo-ls "backup/$STANZA/$LAST_LABEL"
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("backup.manifest" in d, d.get("backup.manifest",{}).get("type"))')" "True file"

  # repo-get gives the bytes in the bucket (plain repository).
  tool_ok --log-level-console=warn repo-get "backup/$STANZA/backup.info"
  assert_eq "$(printf '%s\n' "$OUT" | sha256sum)" "$(aws_local s3 cp "s3://$S3_BUCKET/$prefix/backup/$STANZA/backup.info" - | sha256sum)" \
    "(repo-get of backup.info)"

  # annotate: add, change, remove; read back through info JSON.
  tool_ok --stanza=$STANZA --set="$LAST_LABEL" --annotation=ticket=OPS-7 --annotation=source=audited annotate
  assert_eq "$(info_json "[b for b in d[0]['backup'] if b['label']=='$LAST_LABEL'][0]['annotation']")" \
    "{'source': 'audited', 'ticket': 'OPS-7'}"
  tool_ok --stanza=$STANZA --set="$LAST_LABEL" --annotation=ticket= annotate
  assert_eq "$(info_json "[b for b in d[0]['backup'] if b['label']=='$LAST_LABEL'][0]['annotation']")" "{'source': 'audited'}"
  run_tool --stanza=$STANZA --set="$LAST_LABEL" info
  assert_rc 0
  assert_out_contains "source: audited"
}

test_s3_two_repositories_posix_and_s3() {
  pgvault_only "pgvault on S3" && return 0
  local prefix2 seg dir port
  cluster_init
  s3_start
  conf_set repo2-type s3
  conf_set repo2-path "$SCRATCH/repo2"
  conf_set repo2-s3-bucket "$S3_BUCKET"
  conf_set repo2-s3-region "$S3_REGION"
  conf_set repo2-s3-uri-style path
  conf_set repo2-s3-endpoint "http://127.0.0.1:$S3_PORT"
  conf_set repo2-s3-key "$S3_KEY"
  conf_set repo2-s3-key-secret "$S3_SECRET"
  conf_set repo2-cipher-type aes-256-cbc
  conf_set repo2-cipher-pass repo2-only-passphrase
  conf_set compress-type lz4
  assert_config_loopback_only
  prefix2=${SCRATCH#/}/repo2
  cluster_start
  stanza_create
  assert_file "$SCRATCH/repo/backup/$STANZA/backup.info"
  [ -n "$(s3_keys "$prefix2/backup/$STANZA/backup.info")" ] || fail "no backup.info in repo2's bucket prefix"
  make_test_table t
  insert_batch t A 1 500
  backup full --repo=2
  [ -n "$(s3_keys "$prefix2/backup/$STANZA/$LAST_LABEL/backup.manifest")" ] || fail "repo2 set not in the bucket"
  [ -z "$(find "$SCRATCH/repo/backup/$STANZA" -name '*F' 2>/dev/null)" ] || fail "backup --repo=2 wrote to repo1"
  insert_batch t B 501 1000
  seg=$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")
  wal_switch_archived
  [ -n "$(find "$SCRATCH/repo/archive/$STANZA" -name "$seg-*" -type f)" ] || fail "segment $seg missing in repo1"
  [ -n "$(segment_key "$prefix2" "$seg")" ] || fail "segment $seg missing in repo2 (S3)"
  FP=$(fingerprint)

  # repo1 is lost: restore finds the set in repo2 and recovers through archive-get from repo2.
  rm -rf "$SCRATCH/repo"
  dir=$(new_pgdata r-repo2); port=$(kernel_port)
  restore_to "$dir"
  assert_log_contains "repo2: restore backup set"
  start_restored "$dir" "$port" promote
  assert_eq "$(batches t "$port")" "A:500,B:500"
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  stop_restored "$dir"
}

test_s3_async_archive_push() {
  pgvault_only "pgvault on S3" && return 0
  local prefix seg segs=() key ok
  cluster_init
  s3_start
  s3_config
  set_compress lz4
  conf_set process-max 2
  conf_set archive-async y
  conf_set spool-path "$SCRATCH/spool"
  mkdir -p "$SCRATCH/spool"; chown "$PG_OS_USER": "$SCRATCH/spool"
  assert_config_loopback_only
  cluster_start
  stanza_create
  prefix=$(s3_repo_prefix)
  make_test_table marks
  local n=0
  for batch in A B C D E; do
    insert_batch marks "$batch" $((n * 500 + 1)) $((n * 500 + 500)); n=$((n + 1))
    segs+=("$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")")
    wal_switch_archived
  done
  for seg in "${segs[@]}"; do
    key=$(segment_key "$prefix" "$seg")
    [ -n "$key" ] || fail "segment $seg not in the bucket"
    # the object is the segment: archive-get gives back the bytes whose SHA-1 names it
    tool_ok --stanza=$STANZA --no-archive-async archive-get "$seg" "$SCRATCH/got-$seg"
    assert_eq "$(sha1sum <"$SCRATCH/got-$seg" | cut -c1-40)" "$(basename "$key" | cut -c26-65)" "(archive-get of $seg)"
  done
  # every acknowledgement in the spool names a segment that is in the bucket
  for ok in "$SCRATCH/spool/archive/$STANZA/out/"*.ok; do
    [ -e "$ok" ] || continue
    seg=$(basename "$ok" .ok)
    [[ "$seg" =~ ^[0-9A-F]{24}$ ]] || continue
    [ -n "$(segment_key "$prefix" "$seg")" ] || fail ".ok for $seg in the spool but the segment is not in the bucket"
  done
  [ -z "$(find "$SCRATCH/repo" -type f 2>/dev/null)" ] || fail "files written under the local repo1-path"
  echo "async archive-push stored ${#segs[@]} segments in the bucket"
}
