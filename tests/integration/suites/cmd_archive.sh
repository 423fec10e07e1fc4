# archive-push / archive-get of the binary under test with a real cluster whose archive_command is that binary, and
# both ways against the peer pgBackRest 2.45 (/usr/bin/pgbackrest): every segment PostgreSQL archives arrives,
# pgBackRest reads what the binary pushed and the binary reads what pgBackRest pushed (none, lz4 encrypted, zst,
# gz), duplicates (0 + warning, 45), missing (1), another cluster's WAL (44), a wrong passphrase (103 naming the
# repository, repository unchanged), stop files (62) and archive-get --ls.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

PEER=/usr/bin/pgbackrest

# run_peer ARGS...: pgBackRest with the scratch config as postgres; $OUT, $ERR, $RC like run_tool.
run_peer() {
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- "$PEER" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA "$@" 2>"$SCRATCH/.stderr")
  RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
}

# archive_source MODE: cluster archiving through the binary under test, started, stanza created by the peer (the
# repository format is the same; stanza-create is another command's job).
archive_source() {
  cluster_init
  repo_mode "$1"
  cluster_start
  run_peer stanza-create
  assert_rc 0
  mkdir -p "$SCRATCH/wal" "$SCRATCH/got"
  chown "$PG_OS_USER": "$SCRATCH/wal" "$SCRATCH/got"
}

# switch_segments N: N WAL switches with some content each, waiting until the last one is archived.
switch_segments() {
  local i seg
  for i in $(seq 1 "$1"); do
    psql_q "CREATE TABLE IF NOT EXISTS t_arch (i int); INSERT INTO t_arch SELECT generate_series(1, 1000)" >/dev/null
    seg=$(psql_q "SELECT pg_walfile_name(pg_switch_wal())")
  done
  wait_archived "$seg"
}

# stored_segments: the archived segment files of archive id 15-1, one stored name per line, sorted.
stored_segments() {
  (cd "$SCRATCH/repo/archive/$STANZA/15-1" && find . -type f -regextype posix-extended -regex '.*/[0-9A-F]{24}-[0-9a-f]{40}.*' -printf '%f\n' | sort)
}

# Every segment PostgreSQL reports archived is in the repository, under its SHA-1, with the mode's extension;
# then pgBackRest reads each one back with the right content, and the binary reads what pgBackRest pushed.
both_ways() {
  local mode=$1 ext=$2 count stored file seg sha
  archive_source "$mode"
  switch_segments 4
  count=$(psql_q "SELECT archived_count FROM pg_stat_archiver")
  stored=$(stored_segments)
  [ "$count" -ge 4 ] || fail "only $count segments archived"
  assert_eq "$(printf '%s\n' "$stored" | grep -c .)" "$count" "(stored segments vs pg_stat_archiver.archived_count)"
  for file in $stored; do
    [[ "$file" == *"$ext" ]] || fail "segment $file lacks extension '$ext'"
    [ -z "$ext" ] || [[ "$file" != *"$ext$ext" ]] || fail "double extension on $file"
    seg=${file:0:24}; sha=${file:25:40}
    run_peer archive-get "$seg" "$SCRATCH/got/$seg"
    assert_rc 0
    assert_eq "$(sha1sum <"$SCRATCH/got/$seg" | cut -c1-40)" "$sha" "(pgBackRest archive-get of $seg pushed by the binary)"
    assert_eq "$(stat -c %s "$SCRATCH/got/$seg")" 16777216 "(size of $seg)"
  done
  if [[ "$mode" == enc-* ]]; then
    assert_eq "$(head -c 8 "$SCRATCH/repo/archive/$STANZA/15-1/${file:0:16}/$file")" "Salted__" "(encrypted segment)"
  fi

  # pgBackRest pushes a segment (a real one of this cluster under an unused name); the binary gets it.
  seg=00000001000000AA000000F0
  cp "$SCRATCH/got/${file:0:24}" "$SCRATCH/wal/$seg"
  chown "$PG_OS_USER": "$SCRATCH/wal/$seg"
  run_peer archive-push "$SCRATCH/wal/$seg"
  assert_rc 0
  assert_file "$(ls "$SCRATCH/repo/archive/$STANZA/15-1/00000001000000AA/$seg-"*"$ext")"
  run_tool --stanza=$STANZA archive-get "$seg" "$SCRATCH/got/from-peer"
  assert_rc 0
  assert_log_contains "found $seg in the repo1: 15-1 archive"
  cmp "$SCRATCH/wal/$seg" "$SCRATCH/got/from-peer" || fail "archive-get of a segment pushed by pgBackRest differs"
  # DEST relative to pg1-path, as restore_command passes it (PostgreSQL runs it in the data directory).
  pushd "$PGDATA_SRC" >/dev/null
  run_tool --stanza=$STANZA archive-get "$seg" pg_wal/RECOVERYXLOG
  popd >/dev/null
  assert_rc 0
  cmp "$SCRATCH/wal/$seg" "$PGDATA_SRC/pg_wal/RECOVERYXLOG" || fail "archive-get to a relative path differs"
  rm -f "$PGDATA_SRC/pg_wal/RECOVERYXLOG"
}

test_both_ways_plain() { both_ways plain ""; }
test_both_ways_enc_lz4() { both_ways enc-lz4 ".lz4"; }
test_both_ways_zst() { both_ways zst ".zst"; }
test_both_ways_gz() { both_ways gz ".gz"; }

# Duplicates: the same content again is 0 with pgBackRest's warning; other content under the name is 45 and the
# repository is unchanged; a segment no one archived is 1 and no file is written.
test_duplicates_and_missing() {
  local seg before
  archive_source enc-lz4
  switch_segments 1
  seg=$(psql_q "SELECT last_archived_wal FROM pg_stat_archiver")
  run_tool --stanza=$STANZA archive-get "$seg" "$SCRATCH/wal/$seg"
  assert_rc 0
  before=$(repo_listing)

  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
  assert_rc 0
  assert_log_contains "WAL file '$seg' already exists in the repo1 archive with the same checksum"
  assert_log_contains "pushed WAL file '$seg' to the archive"
  assert_repo_unchanged "$before"

  printf 'other' | dd of="$SCRATCH/wal/$seg" bs=1 seek=8192 conv=notrunc status=none
  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
  assert_rc 45
  assert_log_contains "WAL file '$seg' already exists in the repo1 archive with a different checksum"
  assert_repo_unchanged "$before"

  run_tool --stanza=$STANZA archive-get 000000010000000B000000FF "$SCRATCH/got/000000010000000B000000FF"
  assert_rc 1
  assert_log_contains "unable to find 000000010000000B000000FF in the archive"
  assert_no_file "$SCRATCH/got/000000010000000B000000FF"
  assert_repo_unchanged "$before"
}

# WAL of another cluster (archive-header-check) is 44 and nothing is stored; a wrong repository passphrase makes
# the only repository unusable (103 naming it, as pgBackRest 2.45 reports it) and changes nothing.
test_other_cluster_and_wrong_passphrase() {
  local before seg=000000010000000000000010
  archive_source enc-lz4
  as_pg "$PG_BIN/initdb" -k -N -A trust -U postgres -D "$SCRATCH/other" >/dev/null 2>&1 || fail "initdb of other failed"
  cp "$SCRATCH/other/pg_wal/000000010000000000000001" "$SCRATCH/wal/$seg"
  chown "$PG_OS_USER": "$SCRATCH/wal/$seg"
  before=$(repo_listing)
  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
  assert_rc 44
  assert_log_contains "WAL file '$SCRATCH/wal/$seg' version 15, system-id"
  assert_log_contains "do not match stanza version 15"
  assert_repo_unchanged "$before"
  run_tool --stanza=$STANZA --no-archive-header-check archive-push "$SCRATCH/wal/$seg"
  assert_rc 0
  before=$(repo_listing)

  conf_set repo1-cipher-pass "not-the-passphrase"
  cp "$PGDATA_SRC/pg_wal/$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")" "$SCRATCH/wal/000000010000000000000011"
  chown "$PG_OS_USER": "$SCRATCH/wal/000000010000000000000011"
  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/000000010000000000000011"
  assert_rc 103
  assert_log_contains "unable to find a valid repository"
  assert_log_contains "repo1: ["
  is_pgbackrest || assert_log_contains "[CryptoError]"
  run_tool --stanza=$STANZA archive-get "$seg" "$SCRATCH/got/$seg"
  assert_rc 103
  assert_no_file "$SCRATCH/got/$seg"
  assert_repo_unchanged "$before"
}

# Stop files make both commands fail with 62 and change nothing (archive-get checks them, as pgBackRest 2.45 does,
# once it has found the file: a missing one is still 1).
test_stop_files() {
  local before seg
  archive_source plain
  switch_segments 1
  seg=$(psql_q "SELECT last_archived_wal FROM pg_stat_archiver")
  cp "$PGDATA_SRC/pg_wal/$(psql_q "SELECT pg_walfile_name(pg_current_wal_lsn())")" "$SCRATCH/wal/$seg"
  chown "$PG_OS_USER": "$SCRATCH/wal/$seg"
  before=$(repo_listing)
  as_pg touch "$SCRATCH/lock/$STANZA.stop"
  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
  assert_rc 62
  assert_log_contains "stop file exists for stanza $STANZA"
  run_tool --stanza=$STANZA archive-get "$seg" "$SCRATCH/got/$seg"
  assert_rc 62
  assert_no_file "$SCRATCH/got/$seg"
  run_tool --stanza=$STANZA archive-get 000000010000000B000000FF "$SCRATCH/got/000000010000000B000000FF"
  assert_rc 1
  rm "$SCRATCH/lock/$STANZA.stop"
  as_pg touch "$SCRATCH/lock/all.stop"
  run_tool --stanza=$STANZA archive-push "$SCRATCH/wal/$seg"
  assert_rc 62
  assert_log_contains "stop file exists for all stanzas"
  rm "$SCRATCH/lock/all.stop"
  assert_repo_unchanged "$before"
}

# pgvault only: archive-get --ls prints every archived file of the current archive id as "<name> <stored size>",
# sorted, segment names without checksum and extension.
test_archive_get_ls_lines() {
  pgvault_only "archive-get --ls is a pgvault addition" && return 0
  local expected
  archive_source enc-lz4
  switch_segments 3
  printf '1\t0/3000000\tno recovery target specified\n' >"$SCRATCH/wal/00000002.history"
  chown "$PG_OS_USER": "$SCRATCH/wal/00000002.history"
  tool_ok --stanza=$STANZA archive-push "$SCRATCH/wal/00000002.history"
  expected=$(cd "$SCRATCH/repo/archive/$STANZA/15-1" && find . -type f -printf '%f %s\n' |
    sed -E 's/^([0-9A-F]{24})-[0-9a-f]{40}[^ ]* /\1 /' | LC_ALL=C sort)
  run_tool --stanza=$STANZA --log-level-console=warn archive-get --ls
  assert_rc 0
  assert_eq "$OUT" "$expected" "(archive-get --ls)"
  [[ "$OUT" == *"00000002.history "* ]] || fail "history file not listed: $OUT"
  assert_eq "$(printf '%s\n' "$OUT" | grep -c '^[0-9A-F]\{24\} [0-9]\+$')" \
    "$(psql_q "SELECT archived_count FROM pg_stat_archiver")" "(listed segments vs archived_count)"
}
