# S3 under faults: moto behind the fault-injecting proxy (lib/s3_fault_proxy.py), pgvault's repo1 endpoint = the
# proxy (plain http on 127.0.0.1). At 10% faults (500, 503 SlowDown with Retry-After, resets mid-body, stalls shorter
# than io-timeout) a full backup (with archive-push through the proxy) and a restore complete and the data is equal;
# at 100% faults a backup fails with a clear error within the bound the retry options give, and backup.info in the
# bucket keeps its bytes; afterwards no multipart upload is left open. A 64KiB upload chunk size (the smallest
# allowed) makes every larger file a multipart upload.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/s3.sh"

suite_cleanup() { cluster_cleanup; s3_proxy_cleanup; s3_cleanup; }

IO_TIMEOUT=4
RETRY_AFTER=1
STALL_SECONDS=2

# faulty_s3_source MODE: cluster, moto, proxy at rate 0 and repo1 through the proxy with small upload chunks; the
# stanza is created and pgbench loaded at rate 0.
faulty_s3_source() {
  cluster_init
  # moto refuses parts below AWS's 5 MiB minimum (EntityTooSmall) unless told otherwise: 64KiB parts here.
  export S3_UPLOAD_PART_MIN_SIZE=65536
  s3_start
  s3_proxy_start --fault-rate 0 --retry-after "$RETRY_AFTER" --stall-seconds "$STALL_SECONDS"
  s3_config
  conf_set repo1-s3-endpoint "http://127.0.0.1:$S3_PROXY_PORT"
  conf_set repo1-storage-upload-chunk-size 64KiB
  conf_set io-timeout "$IO_TIMEOUT"
  repo_mode "$1"
  assert_config_loopback_only
  cluster_start
  stanza_create
  pgbench_init 1
  make_test_table marks
  insert_batch marks A 1 5000
}

# backup_keys: the keys under the stanza's backup/ prefix, and the SHA-256 of backup.info and its copy (via moto,
# not the proxy).
backup_keys() {
  local info="$(s3_repo_prefix)/backup/$STANZA/backup.info"
  s3_keys "$(s3_repo_prefix)/backup/$STANZA/"
  echo "$info $(s3_object_sha "$info")"
  echo "$info.copy $(s3_object_sha "$info.copy")"
}

test_s3_backup_and_restore_complete_at_ten_percent_faults() {
  pgvault_only "pgvault's S3 driver behind the fault proxy" && return 0
  local dir port faults
  faulty_s3_source enc-lz4
  conf_set process-max 2

  # Backup (and the archive-push of its WAL, through the same config) at 10% faults of every kind.
  s3_proxy_config "fault-rate=0.1&faults=500,503,reset,stall"
  backup full
  insert_batch marks B 5001 6000
  wal_switch_archived
  FP=$(fingerprint)

  # Restore at 10% faults: GETs are cut mid-body too and resume.
  dir=$(new_pgdata r-faults); port=$(kernel_port)
  restore_to "$dir"
  s3_proxy_config "fault-rate=0"
  faults=$(s3_proxy_count 'c["faults"]')
  echo "faults injected: $faults; operations: $(s3_proxy_count 'c["operations"]')"
  for kind in 500 503 reset stall; do
    [ "$(s3_proxy_count "c[\"faults\"].get(\"$kind\", 0)")" -gt 0 ] || fail "no '$kind' fault was injected: $faults"
  done
  [ "$(s3_proxy_count 'c["operations"].get("UploadPart", 0)')" -gt 20 ] || fail "too few multipart parts uploaded"
  start_restored "$dir" "$port" promote
  assert_eq "$(batches marks "$port")" "A:5000,B:1000"
  assert_fingerprint_eq "$FP" "$(fingerprint "$port")"
  stop_restored "$dir"

  # The set is complete in the bucket and no upload was left open.
  assert_eq "$(info_json '",".join(b["type"] for b in d[0]["backup"])')" "full"
  assert_eq "$(s3_open_uploads)" 0 "(open multipart uploads after the faulty run)"
}

# elapsed_since START: seconds (with decimals) since START (date +%s.%N).
elapsed_since() { python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }

test_s3_backup_fails_clearly_at_full_faults_and_leaves_backup_info_alone() {
  pgvault_only "pgvault's S3 driver behind the fault proxy" && return 0
  local retries=2 before after start elapsed bound prefix info_sha
  faulty_s3_source plain
  conf_set repo1-storage-retry "$retries"
  backup full
  prefix=$(s3_repo_prefix)
  before=$(backup_keys)
  info_sha=$(s3_object_sha "$prefix/backup/$STANZA/backup.info")
  [[ "$before" == *"backup.info "[0-9a-f]* ]] || fail "no backup.info in the bucket: $before"

  # Every request faults: each one is tried 1 + retries times, each attempt bounded by the exchange deadline
  # (2 x io-timeout; stalls end sooner), with at most max(back-off, Retry-After) between attempts. The info file and
  # its copy are read (2 requests) before anything is written. The bound allows that plus 20s to start and stop.
  s3_proxy_config "fault-rate=1&faults=500,503,reset,stall"
  start=$(date +%s.%N)
  run_tool --stanza=$STANZA --type=full backup
  elapsed=$(elapsed_since "$start")
  s3_proxy_config "fault-rate=0"
  bound=$(( 2 * ((retries + 1) * 2 * IO_TIMEOUT + retries * RETRY_AFTER) + 20 ))
  echo "backup failed with $RC after ${elapsed}s (bound ${bound}s): $ERR"
  python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$elapsed" "$bound" ||
    fail "the failing backup took ${elapsed}s, more than the ${bound}s the options allow"
  assert_rc_in 39 49
  assert_err_contains "in bucket '$S3_BUCKET'"
  assert_err_contains "key '$prefix/"
  assert_err_contains "after $((retries + 1)) attempts"
  assert_err_contains "s3 GET of key '$prefix/backup/$STANZA/backup.info' in bucket '$S3_BUCKET' failed"

  # Nothing changed in the bucket's backup/ tree: backup.info (and its copy) have the same bytes.
  after=$(backup_keys)
  assert_eq "$after" "$before" "(backup/ keys and bytes after the failed backup)"
  assert_eq "$(info_json 'len(d[0]["backup"])')" 1 "(sets in info)"

  # Writes fail but reads pass: the backup gets as far as uploading parts, fails, and aborts its uploads.
  # (archive-push fails too, so the backup does not wait for its WAL: --no-archive-check)
  s3_proxy_config "fault-rate=1&faults=500,503&fault-methods=PUT"
  run_tool --stanza=$STANZA --type=full --no-archive-check backup
  s3_proxy_config "fault-rate=0&fault-methods="
  assert_rc_in 39 49
  assert_err_contains "PUT of key '$prefix/"
  [ "$(s3_proxy_count 'c["operations"].get("CreateMultipartUpload", 0)')" -gt 0 ] || fail "no multipart upload started"
  assert_eq "$(s3_object_sha "$prefix/backup/$STANZA/backup.info")" "$info_sha" "(backup.info bytes)"
  # Only the backup's own keys: PostgreSQL's archiver keeps pushing WAL through the same proxy, and an archive-push
  # caught mid-upload (its parts failing and being retried) has an upload open for a moment that it then aborts.
  assert_eq "$(s3_open_uploads "$prefix/backup/")" 0 "(open multipart uploads of backup files after the failed backups)"
}
