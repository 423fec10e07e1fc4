# verify: a clean repository (full + incr, encrypted lz4 and plain) exits 0 and reports ok in text and JSON, with
# the same verbose text as pgBackRest 2.45; a flipped byte in a WAL file, in a data file of an old full that a later
# incr references, and in a manifest copy, and a deleted WAL segment are each reported by name in text and JSON with
# exit code 202; --set verifies one backup (latest = the newest); repositories written by pgBackRest (plain and
# bundled) verify clean.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

PGBR=/usr/bin/pgbackrest

pgbr_ok() {
  runuser -u postgres -- "$PGBR" --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn "$@" \
    >>"$SCRATCH/pgbr.log" 2>&1 || { tail -20 "$SCRATCH/pgbr.log"; fail "pgbackrest $* failed"; }
}

# verify_run ARGS...: verify with console logging off, so stdout holds only the report (errors still go to stderr).
verify_run() { run_tool --stanza=$STANZA --log-level-console=off "$@" verify; }

# json EXPR: evaluates a python expression over d = the JSON in $OUT (the last verify --output=json).
json() {
  printf '%s' "$OUT" | python3 -c "import json,sys
d=json.load(sys.stdin)
r=($1)
print(*r) if isinstance(r, tuple) else print(r)"
}

# flip_byte FILE: inverts one byte in the middle of FILE, in place (owner and mode kept).
flip_byte() {
  python3 - "$1" <<'EOF'
import sys
path = sys.argv[1]
with open(path, 'r+b') as f:
    data = bytearray(f.read())
    data[len(data) // 2] ^= 0xFF
    f.seek(0); f.write(data)
EOF
  echo "flipped a byte in ${1#$SCRATCH/repo/}"
}

# manifest_field LABEL KEY: a [backup] value of LABEL's manifest, read through pgBackRest's info --set JSON.
backup_field() {
  runuser -u postgres -- "$PGBR" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --output=json info |
    python3 -c "import json,sys
d=json.load(sys.stdin)
print([b for b in d[0]['backup'] if b['label']=='$1'][0]$2)"
}

# wal_path SEGMENT: the repository path (relative to the repo root) of an archived segment.
wal_path() {
  local found
  found=$(cd "$SCRATCH/repo" && ls archive/$STANZA/15-1/"${1:0:16}"/"$1"-* 2>/dev/null | head -1)
  [ -n "$found" ] || fail "segment $1 is not in the archive"
  echo "$found"
}

# full_and_incr MODE: source cluster in MODE, a full, more data, an incr, then two more archived segments.
full_and_incr() {
  setup_source "$1" 1
  make_test_table marks; insert_batch marks F 1 1000
  backup full; FULL=$LAST_LABEL
  insert_batch marks I 1001 2000
  backup incr; INCR=$LAST_LABEL
  wal_switch_archived; wal_switch_archived
}

clean_repository_is_ok() {
  full_and_incr "$1"
  verify_run --output=text
  assert_rc 0; assert_eq "$OUT" ""
  verify_run --output=text --verbose
  assert_rc 0
  assert_out_contains "stanza: $STANZA"$'\n'"status: ok"
  assert_out_matches "archiveId: 15-1, total WAL checked: ([0-9]+), total valid WAL: \\1"
  assert_out_matches "backup: $FULL, status: valid, total files checked: ([0-9]+), total valid files: \\1"
  assert_out_matches "backup: $INCR, status: valid, total files checked: ([0-9]+), total valid files: \\1"
  # pgBackRest 2.45 verifies the same repository to the same report, line for line.
  local ours=$OUT theirs
  theirs=$(runuser -u postgres -- "$PGBR" --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn \
    --stanza=$STANZA --output=text --verbose verify)
  assert_eq "$ours" "$theirs" "(pgbackrest verify --verbose)"
  if ! is_pgbackrest; then   # pgBackRest 2.45 has no JSON verify report
    verify_run --output=json --process-max=3
    assert_rc 0
    assert_eq "$(json 'd["status"], d["error-total"], [b["status"] for b in d["backup"]]')" "ok 0 ['valid', 'valid']"
    assert_eq "$(json 'all(b["total-checked"] == b["total-valid"] > 100 for b in d["backup"])')" "True"
    assert_eq "$(json 'd["archive"][0]["total-checked"] == d["archive"][0]["total-valid"] > 2')" "True"
    assert_eq "$(json 'd["archive"][0]["gaps"], d["backup"][1]["wal-missing"]')" "[] []"
  fi
  # The data behind the report: the incr restores to what was written.
  local dir port
  dir=$(new_pgdata restored); port=$(free_port)
  restore_to "$dir" --type=immediate --target-action=promote
  start_restored "$dir" "$port" promote
  assert_eq "$(batches marks "$port")" "F:1000,I:1000"
  stop_restored "$dir"
}

test_clean_encrypted_lz4_repository_is_ok() { clean_repository_is_ok enc-lz4; }
test_clean_plain_repository_is_ok() { clean_repository_is_ok plain; }

test_each_corruption_is_reported_by_name() {
  pgvault_only "pgBackRest 2.45 exits 0 and has no JSON verify report" && return 0
  full_and_incr enc-lz4
  local repo=$SCRATCH/repo set_dir=backup/$STANZA data_file rel incr_start after_incr bad_wal gone_wal copy
  # A data file the incr does not store itself but references from the full.
  for rel in $(cd "$repo/$set_dir/$FULL" && find pg_data/base -type f | sort); do
    [ -e "$repo/$set_dir/$INCR/$rel" ] && continue
    data_file=$set_dir/$FULL/$rel; break
  done
  [ -n "$data_file" ] || fail "no referenced data file found"
  flip_byte "$repo/$data_file"
  # A WAL segment archived after the incr, and the incr's own start segment deleted (a gap and missing backup WAL).
  incr_start=$(backup_field "$INCR" '["archive"]["start"]')
  after_incr=$(backup_field "$INCR" '["archive"]["stop"]')
  after_incr=$(ls "$repo/archive/$STANZA/15-1/${after_incr:0:16}" | grep -E '^[0-9A-F]{24}-' | sort | tail -1 | cut -c1-24)
  bad_wal=$(wal_path "$after_incr")
  flip_byte "$repo/$bad_wal"
  gone_wal=$(wal_path "$incr_start")
  rm "$repo/$gone_wal"; echo "deleted $gone_wal"
  copy=$set_dir/$INCR/backup.manifest.copy
  flip_byte "$repo/$copy"

  verify_run --output=json --process-max=2
  assert_rc 202
  assert_err_contains "ERROR: [202]: verify found"
  assert_eq "$(json 'd["status"]')" "error"
  assert_eq "$(json '[f["path"] for f in d["archive"][0]["invalid"]]')" "['$bad_wal']"
  assert_eq "$(json '[(g["start"], g["stop"]) for g in d["archive"][0]["gaps"]]')" "[('$incr_start', '$incr_start')]"
  assert_eq "$(json '[(b["label"], b["status"]) for b in d["backup"]]')" "[('$FULL', 'invalid'), ('$INCR', 'invalid')]"
  assert_eq "$(json '[f["path"] for f in d["backup"][0]["invalid"]]')" "['$data_file']"
  assert_eq "$(json '[f["path"] for f in d["backup"][1]["invalid"]]')" "['$data_file']"
  assert_eq "$(json '[f["path"] for f in d["backup"][1]["manifest"]]')" "['$copy']"
  assert_eq "$(json '[(g["start"], g["stop"]) for g in d["backup"][1]["wal-missing"]]')" "[('$incr_start', '$incr_start')]"
  assert_eq "$(json 'd["backup"][0]["wal-missing"], d["backup"][0]["manifest"]')" "[] []"
  assert_eq "$(json 'd["error-total"]')" "5"

  verify_run --output=text
  assert_rc 202
  assert_out_contains "status: error"
  assert_out_contains "'$bad_wal'"
  assert_out_contains "'$data_file'"
  assert_out_contains "manifest: "
  assert_out_contains "'$copy'"
  assert_out_contains "wal gap: $incr_start - $incr_start"
  assert_out_contains "wal missing: $incr_start - $incr_start"
  assert_out_contains "backup: $FULL, status: invalid"
  assert_out_contains "backup: $INCR, status: invalid"
  # Default output (none): nothing on stdout, the summary on stderr, the same exit code.
  verify_run
  assert_rc 202; assert_eq "$OUT" ""
  assert_err_contains "verify found 5 error(s) in stanza '$STANZA'"
}

test_set_verifies_one_backup() {
  pgvault_only "verify --set arrived in pgBackRest 2.55" && return 0
  full_and_incr plain
  local repo=$SCRATCH/repo own
  own=$(cd "$repo/backup/$STANZA/$INCR" && find pg_data -type f -size +0 | sort | head -1)
  flip_byte "$repo/backup/$STANZA/$INCR/$own"
  verify_run --set="$FULL" --output=json
  assert_rc 0
  assert_eq "$(json '[(b["label"], b["status"]) for b in d["backup"]]')" "[('$FULL', 'valid')]"
  # Only the full's WAL range was read, and it is all there.
  assert_eq "$(json 'd["archive"][0]["total-checked"] >= 1 and d["archive"][0]["total-checked"] == d["archive"][0]["total-valid"]')" "True"
  verify_run --set=latest --output=json
  assert_rc 202
  assert_eq "$(json '[(b["label"], b["status"]) for b in d["backup"]]')" "[('$INCR', 'invalid')]"
  assert_eq "$(json '[f["path"] for f in d["backup"][0]["invalid"]]')" "['backup/$STANZA/$INCR/$own']"
  verify_run --set=20200101-000000F
  assert_rc 75
  assert_err_contains "backup set 20200101-000000F is not valid"
}

# pgbackrest_repository MODE [bundle]: a cluster archiving through pgBackRest, and a pgBackRest full, diff and incr.
pgbackrest_repository() {
  cluster_init; repo_mode "$1"
  [ "${2:-}" == bundle ] && conf_set repo1-bundle y
  echo "archive_command = '$PGBR --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p'" \
    >>"$PGDATA_SRC/postgresql.conf"
  cluster_start
  pgbr_ok --stanza=$STANZA stanza-create
  make_test_table marks; insert_batch marks A 1 1000
  pgbr_ok --stanza=$STANZA --type=full backup
  insert_batch marks B 1001 2000
  pgbr_ok --stanza=$STANZA --type=diff backup
  insert_batch marks C 2001 2100
  pgbr_ok --stanza=$STANZA --type=incr backup
  wal_switch_archived
}

pgbackrest_repository_is_ok() {
  pgbackrest_repository "$@"
  if ! is_pgbackrest; then
    verify_run --output=json
    assert_rc 0
    assert_eq "$(json 'd["status"], [b["status"] for b in d["backup"]]')" "ok ['valid', 'valid', 'valid']"
    assert_eq "$(json 'all(b["total-checked"] == b["total-valid"] > 100 for b in d["backup"])')" "True"
  fi
  local ours theirs
  verify_run --output=text --verbose
  assert_rc 0; ours=$OUT
  theirs=$(runuser -u postgres -- "$PGBR" --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn \
    --stanza=$STANZA --output=text --verbose verify)
  assert_eq "$ours" "$theirs" "(pgbackrest verify --verbose)"
  echo "$ours"
}

test_pgbackrest_repository_verifies_ok() { pgbackrest_repository_is_ok enc-lz4; }
test_pgbackrest_bundled_repository_verifies_ok() { pgbackrest_repository_is_ok zst bundle; }
