# repo-ls and repo-get: on an encrypted lz4 repository, repo-ls prints exactly what pgBackRest 2.45 prints (text,
# JSON, --recurse, --filter, --sort, absolute and file paths, errors); repo-get decrypts archive.info, manifests and
# WAL with the passphrase each needs (byte-equal to pgBackRest's and to openssl), and pgvault's repo-get also
# decompresses: a WAL segment equals pg_wal's, a data file its PGDATA original, a backup.history copy its manifest.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

# tool_to FILE ARGS...: the binary under test with stdout into FILE (bytes kept exactly); sets $RC.
tool_to() {
  local file=$1; shift
  set +e
  runuser -u postgres -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn "$@" >"$file" \
    2>"$SCRATCH/.stderr"
  RC=$?; ERR=$(cat "$SCRATCH/.stderr"); set -e
}

# pgbr_to FILE ARGS...: the same with pgBackRest 2.45.
pgbr_to() {
  local file=$1; shift
  set +e
  runuser -u postgres -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn "$@" >"$file" \
    2>"$SCRATCH/.stderr"
  RC=$?; ERR=$(cat "$SCRATCH/.stderr"); set -e
}

# same_output ARGS...: the binary under test and pgBackRest write the same bytes and exit with the same code.
same_output() {
  pgbr_to "$SCRATCH/expected" "$@"; local expected_rc=$RC
  tool_to "$SCRATCH/actual" "$@"
  [ "$RC" -eq "$expected_rc" ] || fail "$* exits $RC, pgbackrest $expected_rc: $ERR"
  cmp -s "$SCRATCH/expected" "$SCRATCH/actual" || fail "$* differs from pgbackrest:
$(diff "$SCRATCH/expected" "$SCRATCH/actual" | head -40)"
  echo "same: $* ($(wc -l <"$SCRATCH/actual") lines, rc $RC)"
}

decrypt() { openssl enc -d -aes-256-cbc -md sha1 -pass pass:"$1" -in "$2"; }

# encrypted_repository: enc-lz4 cluster, a full and an incr backup, a table; sets FULL and INCR.
encrypted_repository() {
  setup_source enc-lz4
  make_test_table marks; insert_batch marks A 1 500
  backup full; FULL=$LAST_LABEL
  insert_batch marks B 501 900
  backup incr; INCR=$LAST_LABEL
}

test_repo_ls_prints_what_pgbackrest_prints() {
  encrypted_repository
  same_output repo-ls
  same_output --output=json repo-ls
  same_output --recurse repo-ls
  same_output --recurse --output=json repo-ls
  same_output --recurse --sort=desc repo-ls
  same_output --recurse --sort=desc --output=json repo-ls backup
  same_output --recurse --filter='\.lz4$' repo-ls archive
  same_output --recurse --filter='^[0-9]{8}-[0-9]{6}F$' repo-ls backup/$STANZA
  same_output --filter='^zzz' --output=json repo-ls
  same_output --filter='^zzz' repo-ls
  same_output repo-ls "backup/$STANZA/"
  same_output repo-ls "$SCRATCH/repo/archive/$STANZA"
  same_output repo-ls "$SCRATCH/repo"
  same_output --output=json repo-ls "backup/$STANZA/backup.info"
  same_output repo-ls "backup/$STANZA/backup.info"
  same_output --filter=nomatch repo-ls "backup/$STANZA/backup.info"
  same_output --output=json repo-ls no/such/path
  same_output repo-ls /elsewhere
  same_output repo-ls 'backup//x'
  same_output repo-ls archive backup
  # The listing holds what the repository holds: both sets, the latest link and the four info files.
  tool_to "$SCRATCH/ls" --recurse --output=json repo-ls backup
  python3 - "$SCRATCH/ls" "$FULL" "$INCR" "$STANZA" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); full, incr, stanza = sys.argv[2:5]
assert d["."] == {"type": "path"}, d["."]
for label in (full, incr):
    assert d[f"{stanza}/{label}"]["type"] == "path"
    assert d[f"{stanza}/{label}/backup.manifest"]["size"] > 0
assert d[f"{stanza}/latest"] == {"type": "link", "destination": incr}, d[f"{stanza}/latest"]
assert d[f"{stanza}/backup.info"]["type"] == "file"
print("listing ok:", len(d), "entries")
PY
  # --sort=none lists the same names as asc.
  tool_to "$SCRATCH/none" --recurse --sort=none repo-ls
  tool_to "$SCRATCH/asc" --recurse repo-ls
  assert_eq "$(LC_ALL=C sort "$SCRATCH/none")" "$(LC_ALL=C sort "$SCRATCH/asc")"
}

test_repo_get_decrypts_info_files_and_manifests_like_pgbackrest() {
  encrypted_repository
  local archive_info=archive/$STANZA/archive.info manifest=backup/$STANZA/$INCR/backup.manifest
  same_output repo-get "$archive_info"
  decrypt "$CIPHER_PASS" "$SCRATCH/repo/$archive_info" | cmp - "$SCRATCH/actual" || fail "archive.info is not its plaintext"
  head -1 "$SCRATCH/actual" | grep -qx '\[backrest\]' || fail "archive.info plaintext: $(head -3 "$SCRATCH/actual")"
  same_output repo-get "backup/$STANZA/backup.info.copy"
  same_output repo-get "$manifest"
  same_output repo-get "$SCRATCH/repo/$manifest.copy"
  # The manifest is decrypted with backup.info's sub-passphrase and parses: label, type and a checksum that holds.
  local backup_pass
  backup_pass=$(decrypt "$CIPHER_PASS" "$SCRATCH/repo/backup/$STANZA/backup.info" | sed -n 's/^cipher-pass="\(.*\)"$/\1/p')
  decrypt "$backup_pass" "$SCRATCH/repo/$manifest" | cmp - "$SCRATCH/actual" || fail "manifest is not its plaintext"
  grep -qx "backup-label=\"$INCR\"" "$SCRATCH/actual" || fail "manifest lacks its label"
  grep -qx 'backup-type="incr"' "$SCRATCH/actual" || fail "manifest lacks its type"
  # Missing files: 055, or exit 1 and nothing printed with --ignore-missing; a path without stanza: 032.
  same_output repo-get "archive/$STANZA/no-such-file"
  assert_eq "$RC" 55
  same_output --ignore-missing repo-get "backup/$STANZA/$INCR/no-such-file"
  assert_eq "$RC" 1
  [ ! -s "$SCRATCH/actual" ] || fail "--ignore-missing printed something"
  same_output repo-get backup
  assert_eq "$RC" 32
  same_output --stanza=other repo-get "$archive_info"
  assert_eq "$RC" 32
  same_output repo-get
}

test_repo_get_gives_plain_wal_and_data_files() {
  pgvault_only "pgBackRest 2.45 repo-get decrypts only; pgvault also decompresses (issue 5 item 6)" && return 0
  encrypted_repository
  # A segment just switched and archived is still in pg_wal: the repository copy comes back byte-equal.
  psql_q "SELECT txid_current()" >/dev/null
  local segment; segment=$(psql_q "SELECT pg_walfile_name(pg_switch_wal())")
  wait_archived "$segment"
  local stored
  stored=$(cd "$SCRATCH/repo" && ls archive/$STANZA/15-1/${segment:0:16}/$segment-*.lz4)
  [ -n "$stored" ] || fail "segment $segment not in the repository"
  head -c 8 "$SCRATCH/repo/$stored" | grep -q Salted__ || fail "$stored is not encrypted"
  tool_to "$SCRATCH/wal" repo-get "$stored"
  assert_eq "$RC" 0
  cmp "$SCRATCH/wal" "$PGDATA_SRC/pg_wal/$segment" || fail "repo-get of $stored differs from pg_wal/$segment"
  assert_eq "$(sha1sum <"$SCRATCH/wal" | cut -c1-40)" "$(basename "$stored" .lz4 | cut -d- -f2)"
  # --raw gives the stored bytes.
  tool_to "$SCRATCH/raw" --raw repo-get "$stored"
  cmp "$SCRATCH/raw" "$SCRATCH/repo/$stored" || fail "--raw is not the stored file"
  # A data file of the incr's full (lz4, set passphrase) and the gz backup.history copy of the incr's manifest.
  tool_to "$SCRATCH/pgversion" repo-get "backup/$STANZA/$FULL/pg_data/PG_VERSION.lz4"
  cmp "$SCRATCH/pgversion" "$PGDATA_SRC/PG_VERSION" || fail "PG_VERSION differs"
  tool_to "$SCRATCH/manifest" repo-get "backup/$STANZA/$INCR/backup.manifest"
  tool_to "$SCRATCH/history" repo-get "backup/$STANZA/backup.history/${INCR:0:4}/$INCR.manifest.gz"
  assert_eq "$RC" 0
  cmp "$SCRATCH/history" "$SCRATCH/manifest" || fail "backup.history copy differs from the manifest"
}
