# archive-push and archive-get against the archive a running cluster fills through archive_command: duplicate pushes
# (same checksum: 0 and a warning; different checksum: 045, nothing overwritten), archive-get of a present segment
# (byte-identical) and of a missing one (1), and history files.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# archived_file SEG: path of SEG's file in the repository archive (SEG-SHA1[.ext]), relative to the repo.
archived_file() {
  (cd "$SCRATCH/repo" && find "archive/$STANZA" -name "$1-*" | sort)
}

push_get() {
  local mode=$1 ext=$2 seg sha before stored
  setup_source "$mode" 1
  backup full
  pgbench_run -t 200
  wal_switch_archived
  seg=$(psql_q "SELECT last_archived_wal FROM pg_stat_archiver")
  mkdir -p "$SCRATCH/wal" "$SCRATCH/got"
  cp "$PGDATA_SRC/pg_wal/$seg" "$SCRATCH/wal/$seg"
  chown -R "$PG_OS_USER": "$SCRATCH/wal" "$SCRATCH/got"
  sha=$(sha1sum <"$SCRATCH/wal/$seg" | cut -c1-40)

  # The segment PostgreSQL archived is stored under the 16-char directory, named by its SHA-1 and extension.
  stored=$(archived_file "$seg")
  assert_eq "$stored" "archive/$STANZA/15-1/${seg:0:16}/$seg-$sha$ext"
  before=$(repo_listing)

  # Same segment again: success with a warning, nothing rewritten.
  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
  assert_rc 0
  assert_log_contains "already exists"
  assert_log_contains "same checksum"
  assert_repo_unchanged "$before"

  # Same name, different content: 045, and the stored segment is untouched.
  printf 'corrupted' | dd of="$SCRATCH/wal/$seg" bs=1 seek=1048576 conv=notrunc status=none
  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
  assert_rc 45
  assert_repo_unchanged "$before"

  # archive-get restores the original bytes.
  run_tool --stanza=$STANZA archive-get "$seg" "$SCRATCH/got/$seg"
  assert_rc 0
  assert_eq "$(sha1sum <"$SCRATCH/got/$seg" | cut -c1-40)" "$sha" "(sha1 of the segment from archive-get)"

  # A segment that is not archived: 1 (end of archive for restore_command), and no file written.
  run_tool --stanza=$STANZA archive-get 000000010000000A000000FF "$SCRATCH/got/000000010000000A000000FF"
  assert_rc 1
  assert_no_file "$SCRATCH/got/000000010000000A000000FF"
  assert_repo_unchanged "$before"
}

test_push_get_plain() { push_get plain ""; }
test_push_get_enc_lz4() { push_get enc-lz4 ".lz4"; }
test_push_get_zst() { push_get zst ".zst"; }
test_push_get_gz() { push_get gz ".gz"; }

# History files are stored by exact name in the archive id directory, never compressed (pgBackRest 2.45 stores them
# without extension whatever compress-type says), encrypted when the repository is, and come back unchanged.
history_files() {
  setup_source "$1" 1
  mkdir -p "$SCRATCH/wal" "$SCRATCH/got"
  printf '1\t0/3000000\tno recovery target specified\n' >"$SCRATCH/wal/00000002.history"
  chown -R "$PG_OS_USER": "$SCRATCH/wal" "$SCRATCH/got"
  tool_ok --stanza=$STANZA archive-push "$SCRATCH/wal/00000002.history"
  assert_file "$SCRATCH/repo/archive/$STANZA/15-1/00000002.history"
  if [ "$2" == encrypted ]; then
    assert_eq "$(head -c 8 "$SCRATCH/repo/archive/$STANZA/15-1/00000002.history")" "Salted__" "(encrypted history file)"
  else
    cmp "$SCRATCH/wal/00000002.history" "$SCRATCH/repo/archive/$STANZA/15-1/00000002.history" ||
      fail "unencrypted history file is not stored as is"
  fi
  tool_ok --stanza=$STANZA archive-get 00000002.history "$SCRATCH/got/00000002.history"
  cmp "$SCRATCH/wal/00000002.history" "$SCRATCH/got/00000002.history" || fail "history file differs after archive-get"
  run_tool --stanza=$STANZA archive-get 00000003.history "$SCRATCH/got/00000003.history"
  assert_rc 1
  assert_no_file "$SCRATCH/got/00000003.history"
}

test_history_plain() { history_files plain plain; }
test_history_enc_lz4() { history_files enc-lz4 encrypted; }

# pgvault only: archive-get --ls lists the archived WAL of the current archive id, one name per line with its size.
test_archive_get_ls() {
  pgvault_only "archive-get --ls is a pgvault addition" && return 0
  local seg line
  setup_source enc-lz4 1
  backup full
  wal_switch_archived
  run_tool --stanza=$STANZA archive-get --ls
  assert_rc 0
  for seg in $(cd "$SCRATCH/repo/archive/$STANZA/15-1" && find . -name '0*-*' -printf '%f\n' | cut -c1-24 | sort -u); do
    line=$(printf '%s\n' "$OUT" | grep "^$seg" || true)
    [ -n "$line" ] || fail "archive-get --ls does not list $seg: $OUT"
    [[ "$line" =~ [0-9]+ ]] || fail "archive-get --ls gives no size for $seg: $line"
  done
  [[ "$OUT" == *"$(psql_q "SELECT last_archived_wal FROM pg_stat_archiver")"* ]] || fail "last archived segment not listed"
}
