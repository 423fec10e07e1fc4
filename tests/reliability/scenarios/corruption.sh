# Corruption detection (issue 8, item 2). A repository (encrypted lz4, and plain) holds a full, an incr and archived
# WAL; one random byte of one random repository file is flipped at a time (WAL segments, backup data files,
# backup.manifest and its copy, archive.info / backup.info and their copies), and the original bytes are put back
# before the next flip. For every flip:
#   - verify exits non-zero and names the file (CORRUPTED = 1 when it does not);
#   - data file: a restore of the backup that needs it fails with a checksum error naming the file and leaves no
#     global/pg_control, so PostgreSQL refuses to start (LOST = 1 for a restore that exits 0 or a cluster that starts);
#   - WAL segment: archive-get of it fails with a checksum error naming the file and writes nothing (LOST = 1 for an
#     exit 0). Encrypted lz4: a corrupt stream mostly fails to decode before the checksum; that error (pgBackRest's
#     code: 029 lz4, 095 cipher) names the file too;
#   - manifest / info file: the other file of the pair is used (a warning names the bad main file), the commands still
#     work and a restore matches the clean manifest byte for byte.
# Then both files of a pair (info file or manifest) are corrupted: the load error (its code, both files named) and the
# exit code pgBackRest 2.45 gives, and no cluster.
# Last, a damaged relation page in PGDATA is reported at backup time (warning naming file and block, info --set).
# Flips per repository mode: 7 (ci) or 25 (full; 50 over both modes). Replay a run with REL_SEED=N.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/record.sh"

suite_cleanup() { cluster_cleanup; }

REPO_STANZA_BACKUP=backup/$STANZA
REPO_STANZA_ARCHIVE=archive/$STANZA

# corrupt_flip FILE: xors one random byte of FILE (random offset, random non-zero mask) in place; prints what it did.
corrupt_flip() {
  local file=$1 size offset mask
  size=$(stat -c %s "$file")
  [ "$size" -gt 0 ] || fail "cannot flip a byte of empty file $file"
  offset=$(( (RANDOM * 32768 + RANDOM) % size ))
  mask=$(( 1 + RANDOM % 255 ))
  python3 - "$file" "$offset" "$mask" <<'EOF'
import sys
path, offset, mask = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, 'r+b') as f:
    f.seek(offset); b = f.read(1)[0]
    f.seek(offset); f.write(bytes([b ^ mask]))
EOF
  echo "flipped byte $offset of $size (xor 0x$(printf %02x "$mask")) in ${file#$SCRATCH/repo/}"
}

# corrupt_undo REL: puts the pristine bytes of repository file REL back (owner, mode and times kept).
corrupt_undo() { cp -a "$SCRATCH/repo.orig/$1" "$SCRATCH/repo/$1"; }

# matches_manifest DIR LABEL: every pg_data file of LABEL's clean manifest is in the restored DIR with its size and
# SHA-1 (postgresql.auto.conf aside: restore rewrites it); prints the first differences.
matches_manifest() {
  python3 - "$1" "$SCRATCH/manifest.$2" <<'EOF2'
import hashlib, os, sys
root, listing = sys.argv[1], sys.argv[2]
bad = []
for line in open(listing):
    name, size, ref, checksum = line.split()
    if not name.startswith("pg_data/") or name == "pg_data/postgresql.auto.conf": continue
    path = os.path.join(root, name[len("pg_data/"):])
    try:
        data = open(path, "rb").read()
    except OSError as e:
        bad.append(f"{name}: {e}"); continue
    # A zero-length file has no checksum in the manifest.
    if len(data) != int(size) or (checksum != "-" and hashlib.sha1(data).hexdigest() != checksum):
        bad.append(f"{name}: size {len(data)} sha1 {hashlib.sha1(data).hexdigest()}, manifest {size} {checksum}")
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
EOF2
}

# manifest_files LABEL: "name size reference checksum" of each file of LABEL's manifest (decrypted by repo-get).
manifest_files() {
  tool_ok --stanza=$STANZA repo-get "$REPO_STANZA_BACKUP/$1/backup.manifest"
  printf '%s\n' "$OUT" | python3 -c '
import json, sys
section = None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("[") and line.endswith("]"):
        section = line[1:-1]; continue
    if section != "target:file" or "=" not in line: continue
    name, value = line.split("=", 1)
    v = json.loads(value)
    print(name, v["size"], v.get("reference", "-"), v.get("checksum", "-"))'
}

# Case bookkeeping: CASE_OK turns 0 at the first failed expectation; every failure is printed.
case_begin() { CASE_OK=1; CASE_NOTE=""; }
expect() {  # expect MESSAGE COMMAND...: runs the test command; a false result fails the case.
  local message=$1; shift
  if ! "$@"; then echo "case failed: $message (rc $RC)"; echo "stdout: $OUT"; echo "stderr: $ERR"; CASE_OK=0; fi
}
output_has() { [[ "$OUT$ERR" == *"$1"* ]]; }
rc_is() { [ "$RC" -eq "$1" ]; }
rc_not() { [ "$RC" -ne "$1" ]; }
# error_line_matches_rc: the ERROR line carries the exit code, e.g. "ERROR: [026]:" for 26.
error_line_matches_rc() { output_has "ERROR: [$(printf %03d "$RC")]:"; }
no_file() { [ ! -e "$1" ]; }
# integrity_rc: the exit code of a corrupt stored file. Plain repository: ChecksumError (026), the SHA-1 differs.
# Encrypted lz4: the stream usually fails to decode first, and the code is the one pgBackRest 2.45 gives for that
# (029 FormatError from lz4, 095 CryptoError from the final block's padding), else 026.
integrity_rc() {
  if [ "$MODE" == plain ]; then rc_is 26; else [[ " 26 29 95 " == *" $RC "* ]]; fi
}
# case_end SCENARIO LOST CORRUPTED: one rel_record for the case; counts a failure.
case_end() {
  local passed=$CASE_OK
  [ "$2" -eq 0 ] && [ "$3" -eq 0 ] || passed=0
  rel_record "$1" 1 "$passed" "$2" "$3" "$CASE_NOTE"
  [ "$passed" -eq 1 ] || FAILED_CASES+=("$1: $CASE_NOTE")
  echo "case $1 -> passed=$passed lost=$2 undetected=$3 ($CASE_NOTE) at ${SECONDS}s"
}

# verify_names PATH...: verify exits non-zero, and its text report names every PATH (relative to the repository).
verify_names() {
  local path
  run_tool --stanza=$STANZA --log-level-console=off --output=text --process-max=2 verify
  rc_not 0 || return 1
  for path in "$@"; do output_has "'$path'" || return 1; done
}

# restore_set LABEL DIR: a restore of LABEL into the new directory DIR (immediate recovery).
restore_set() { run_tool --stanza=$STANZA --pg1-path="$2" --set="$1" --type=immediate --process-max=2 restore; }

# cannot_start DIR: PostgreSQL refuses to start on DIR (what a failed restore must leave); stops it if it did start.
cannot_start() {
  local port; port=$(free_port)
  if as_pg "$PG_BIN/pg_ctl" -D "$1" -l "$1.log" -w -t 20 -o "-p $port -c archive_mode=off" start >/dev/null 2>&1; then
    stop_restored "$1"; return 1
  fi
  echo "postgres refuses the failed restore: $(grep -m1 -E 'FATAL|PANIC' "$1.log" 2>/dev/null || tail -1 "$1.log")"
}

RESTORE_SEQ=0
fresh_pgdata() { RESTORE_SEQ=$((RESTORE_SEQ + 1)); new_pgdata "restore$RESTORE_SEQ"; }

# corruption_repository MODE: the source cluster in MODE with a full, more rows, an incr and one more archived
# segment; then stopped, the repository copied to repo.orig, a clean verify, and each set's file list (with sizes and
# checksums) saved from its manifest. Sets FULL, INCR, EXT and the candidate lists.
corruption_repository() {
  cluster_init
  repo_mode "$1"
  cluster_start
  stanza_create
  make_test_table marks; insert_batch marks F 1 5000
  backup full; FULL=$LAST_LABEL
  insert_batch marks I 5001 6000
  backup incr; INCR=$LAST_LABEL
  wal_switch_archived
  cluster_stop
  EXT=""; [ "$1" == enc-lz4 ] && EXT=.lz4
  cp -a "$SCRATCH/repo" "$SCRATCH/repo.orig"

  run_tool --stanza=$STANZA --log-level-console=off --output=text verify
  assert_rc 0

  local label
  for label in "$FULL" "$INCR"; do manifest_files "$label" >"$SCRATCH/manifest.$label"; done
  echo "repository ready after ${SECONDS}s"

  # Data files, as "repository path|label whose restore needs it": files the incr stores itself, files of the full
  # the incr references, and files of the full the incr stores again (only the full needs those).
  local name size ref incr_own
  DATA_INCR_OWN=(); DATA_FULL_REFERENCED=(); DATA_FULL_ONLY=(); DATA_EMPTY=()
  incr_own=$(awk '$3 == "-" {print $1}' "$SCRATCH/manifest.$INCR" | sort)
  while read -r name size ref _; do
    if [ "$size" -eq 0 ]; then   # stored as a non-empty stream when compressed or encrypted
      [ -s "$SCRATCH/repo/$REPO_STANZA_BACKUP/${ref/#-/$INCR}/$name$EXT" ] &&
        DATA_EMPTY+=("$REPO_STANZA_BACKUP/${ref/#-/$INCR}/$name$EXT|$INCR")
      continue
    fi
    if [ "$ref" == - ]; then DATA_INCR_OWN+=("$REPO_STANZA_BACKUP/$INCR/$name$EXT|$INCR")
    else DATA_FULL_REFERENCED+=("$REPO_STANZA_BACKUP/$ref/$name$EXT|$INCR"); fi
  done <"$SCRATCH/manifest.$INCR"
  while read -r name size ref _; do
    [ "$size" -gt 0 ] || continue
    grep -qxF "$name" <<<"$incr_own" && DATA_FULL_ONLY+=("$REPO_STANZA_BACKUP/$FULL/$name$EXT|$FULL")
  done <"$SCRATCH/manifest.$FULL"
  WAL_FILES=()
  while read -r name; do WAL_FILES+=("$name"); done < <(cd "$SCRATCH/repo" &&
    find "$REPO_STANZA_ARCHIVE" -type f -regextype posix-extended -regex '.*/[0-9A-F]{24}-[0-9a-f]{40}[^/]*' | sort)
  echo "candidates: ${#DATA_INCR_OWN[@]} incr files, ${#DATA_FULL_REFERENCED[@]} referenced full files," \
    "${#DATA_FULL_ONLY[@]} full-only files, ${#DATA_EMPTY[@]} stored empty files, ${#WAL_FILES[@]} WAL segments"
  [ ${#DATA_FULL_REFERENCED[@]} -gt 0 ] && [ ${#DATA_INCR_OWN[@]} -gt 0 ] && [ ${#WAL_FILES[@]} -gt 2 ] ||
    fail "too few candidate files"
  local f; for f in "${DATA_INCR_OWN[@]}" "${DATA_FULL_REFERENCED[@]}" "${DATA_FULL_ONLY[@]}"; do
    [ -s "$SCRATCH/repo/${f%|*}" ] || fail "candidate ${f%|*} is not in the repository"
  done
}

# pick ARRAY_NAME: sets PICKED to a random element of the named array (in this shell: a command substitution would
# draw from a reseeded RANDOM, and REL_SEED could not replay the run).
pick() { local -n list=$1; PICKED=${list[RANDOM % ${#list[@]}]}; }

# pair_side KIND: sets SIDE to "" (the main file) or ".copy", alternating per KIND so that both directions of the
# fallback are exercised even in ci; the enc-lz4 repository starts with the main file, the plain one with the copy.
declare -A SIDE_COUNT=()
pair_side() {
  local n=${SIDE_COUNT[$1]:-0}
  SIDE_COUNT[$1]=$((n + 1))
  [ "$MODE" == plain ] && n=$((n + 1))
  if [ $((n % 2)) -eq 0 ]; then SIDE=""; else SIDE=.copy; fi
}

# Data file flip: verify names it; a restore of the set that needs it fails naming it and leaves no pg_control.
flip_data_file() {
  local group entry rel label name dir
  case $(( RANDOM % 7 )) in
    0|1) group=DATA_INCR_OWN ;;
    2|3) group=DATA_FULL_REFERENCED ;;
    4|5) group=DATA_FULL_ONLY ;;
    *) group=DATA_EMPTY ;;
  esac
  local -n members=$group
  [ ${#members[@]} -gt 0 ] || group=DATA_FULL_REFERENCED
  pick $group; entry=$PICKED; rel=${entry%|*}; label=${entry#*|}
  name=${rel#$REPO_STANZA_BACKUP/*/}; name=${name%$EXT}
  case_begin
  CASE_NOTE="$MODE $rel (restore $label)"
  corrupt_flip "$SCRATCH/repo/$rel"
  local undetected=0 lost=0
  verify_names "$rel" || { undetected=1; echo "verify missed $rel: rc $RC $OUT $ERR"; }
  if [ "$group" == DATA_EMPTY ]; then
    # The manifest says zero bytes: restore creates the file empty without reading the stored stream, correctly.
    CASE_NOTE+=" empty file, verify only"
    corrupt_undo "$rel"
    case_end "corruption: data file" "$lost" "$undetected"
    return 0
  fi
  dir=$(fresh_pgdata)
  restore_set "$label" "$dir"
  if [ "$RC" -eq 0 ]; then
    lost=1; echo "restore of $label exited 0 with $rel corrupted"
  else
    expect "restore error names '$name'" output_has "'$name'"
    expect "restore error names '$rel'" output_has "'$rel'"
    expect "the ERROR line carries the exit code" error_line_matches_rc
    expect "a checksum error (or, encrypted, the decode error pgBackRest gives)" integrity_rc
    CASE_NOTE+=" rc $RC"
  fi
  expect "no global/pg_control after a failed restore" no_file "$dir/global/pg_control"
  if ! cannot_start "$dir"; then lost=1; echo "PostgreSQL started on the failed restore of $label"; fi
  rm -rf "$dir"
  corrupt_undo "$rel"
  case_end "corruption: data file" "$lost" "$undetected"
}

# WAL flip: verify names it; archive-get of the segment fails naming it and writes no destination file.
flip_wal() {
  local rel segment dest
  pick WAL_FILES; rel=$PICKED; segment=$(basename "$rel" | cut -c1-24)
  case_begin
  CASE_NOTE="$MODE $rel"
  corrupt_flip "$SCRATCH/repo/$rel"
  local undetected=0 lost=0
  verify_names "$rel" || { undetected=1; echo "verify missed $rel: rc $RC $OUT $ERR"; }
  mkdir -p "$SCRATCH/walget"; chown "$PG_OS_USER": "$SCRATCH/walget"
  dest=$SCRATCH/walget/$segment
  run_tool --stanza=$STANZA archive-get "$segment" "$dest"
  if [ "$RC" -eq 0 ]; then
    lost=1; echo "archive-get of $segment exited 0 with $rel corrupted"
  else
    expect "archive-get error names the file" output_has "'$rel'"
    expect "the ERROR line carries the exit code" error_line_matches_rc
    expect "a checksum error (or, encrypted, the decode error pgBackRest gives)" integrity_rc
    CASE_NOTE+=" rc $RC"
  fi
  expect "no WAL written by a failed archive-get" no_file "$dest"
  rm -f "$dest"
  corrupt_undo "$rel"
  case_end "corruption: wal segment" "$lost" "$undetected"
}

# Manifest flip (main or copy): verify names it; a restore of that set works (warning naming a bad main file) and
# matches the clean manifest byte for byte.
flip_manifest() {
  local label rel dir
  label=$FULL; [ $(( RANDOM % 2 )) -eq 0 ] && label=$INCR
  pair_side manifest; rel=$REPO_STANZA_BACKUP/$label/backup.manifest$SIDE
  case_begin
  CASE_NOTE="$MODE $rel"
  corrupt_flip "$SCRATCH/repo/$rel"
  local undetected=0 lost=0
  verify_names "$rel" || { undetected=1; echo "verify missed $rel: rc $RC $OUT $ERR"; }
  dir=$(fresh_pgdata)
  restore_set "$label" "$dir"
  expect "restore of $label works from the other manifest file" rc_is 0
  if [[ "$rel" != *.copy ]]; then expect "a warning names the unreadable manifest" output_has "WARN: "
    expect "the warning names '$rel'" output_has "$rel"; fi
  if [ "$RC" -eq 0 ] && ! matches_manifest "$dir" "$label"; then
    lost=1; echo "restore of $label differs from its clean manifest"
  fi
  rm -rf "$dir"
  corrupt_undo "$rel"
  case_end "corruption: manifest" "$lost" "$undetected"
}

# Info file flip (archive.info / backup.info, main or copy): verify names it; info still lists both sets (with a
# warning naming a bad main file); archive-get still returns a good segment byte for byte; with backup.info flipped,
# a restore of the incr still matches its manifest.
flip_info() {
  local rel base segment wal dest expected dir
  base=$REPO_STANZA_ARCHIVE/archive.info; [ $(( RANDOM % 2 )) -eq 0 ] && base=$REPO_STANZA_BACKUP/backup.info
  pair_side info; rel=$base$SIDE
  case_begin
  CASE_NOTE="$MODE $rel"
  corrupt_flip "$SCRATCH/repo/$rel"
  local undetected=0 lost=0
  verify_names "$rel" || { undetected=1; echo "verify missed $rel: rc $RC $OUT $ERR"; }
  run_tool --stanza=$STANZA info
  expect "info works" rc_is 0
  expect "info lists the full" output_has "full backup: $FULL"
  expect "info lists the incr" output_has "incr backup: $INCR"
  if [[ "$rel" != *.copy ]]; then expect "a warning names '$rel'" output_has "'$rel'"; fi
  pick WAL_FILES; wal=$PICKED; segment=$(basename "$wal" | cut -c1-24); expected=$(basename "$wal" | cut -c26-65)
  mkdir -p "$SCRATCH/walget"; chown "$PG_OS_USER": "$SCRATCH/walget"
  dest=$SCRATCH/walget/$segment
  run_tool --stanza=$STANZA archive-get "$segment" "$dest"
  expect "archive-get works" rc_is 0
  if [ "$RC" -eq 0 ] && [ "$(sha1sum <"$dest" | cut -c1-40)" != "$expected" ]; then
    lost=1; echo "archive-get returned wrong bytes for $segment"
  fi
  rm -f "$dest"
  if [ "$base" == "$REPO_STANZA_BACKUP/backup.info" ]; then
    dir=$(fresh_pgdata)
    restore_set "$INCR" "$dir"
    expect "restore works" rc_is 0
    if [ "$RC" -eq 0 ] && ! matches_manifest "$dir" "$INCR"; then
      lost=1; echo "restore of $INCR differs from its clean manifest"
    fi
    rm -rf "$dir"
  fi
  corrupt_undo "$rel"
  case_end "corruption: info file" "$lost" "$undetected"
}

# Both files of a pair corrupted: verify names both; the command that needs them fails as pgBackRest 2.45 does:
#   manifest      restore --set: the load error itself (026 checksum, 029 format, 095 crypto or 099 json);
#   backup.info   restore --set: a warning carrying that load error, then BackupSetInvalidError (075);
#   archive.info  archive-get: a warning carrying that load error, then RepoInvalidError (103);
# the load error names both files, the ERROR line and the exit code agree, and nothing is restored.
flip_pair() {
  local kind=$1 rel label=$INCR dir segment expected_rc
  case $kind in
    archive.info) rel=$REPO_STANZA_ARCHIVE/archive.info; expected_rc=103 ;;
    backup.info) rel=$REPO_STANZA_BACKUP/backup.info; expected_rc=75 ;;
    manifest) rel=$REPO_STANZA_BACKUP/$INCR/backup.manifest; expected_rc=load ;;
  esac
  case_begin
  CASE_NOTE="$MODE $rel and its copy"
  corrupt_flip "$SCRATCH/repo/$rel"; corrupt_flip "$SCRATCH/repo/$rel.copy"
  local undetected=0 lost=0
  verify_names "$rel" "$rel.copy" || { undetected=1; echo "verify missed $rel: rc $RC $OUT $ERR"; }
  dir=$(fresh_pgdata)
  if [ "$kind" == archive.info ]; then
    pick WAL_FILES; segment=$(basename "$PICKED" | cut -c1-24)
    run_tool --stanza=$STANZA archive-get "$segment" "$dir/$segment"
    [ "$RC" -ne 0 ] || { lost=1; echo "archive-get worked without a readable archive.info"; }
  else
    restore_set "$label" "$dir"
    [ "$RC" -ne 0 ] || { lost=1; echo "restore worked without a readable $rel"; }
  fi
  expect "the load error names '$rel' and its copy" output_has "unable to load info file '$rel' or '$rel.copy'"
  expect "the load error carries its code" eval '[[ "$OUT$ERR" =~ \[0(26|29|95|99)\]\ [a-z] ]]'
  expect "the ERROR line carries the exit code" error_line_matches_rc
  if [ "$expected_rc" == load ]; then
    expect "a load error code" eval '[[ " 26 29 95 99 " == *" $RC "* ]]'
  else
    expect "exit code $expected_rc" rc_is "$expected_rc"
  fi
  expect "nothing restored" eval '[ -z "$(ls -A "$dir")" ]'
  CASE_NOTE+=" rc $RC"
  rm -rf "$dir"
  corrupt_undo "$rel"; corrupt_undo "$rel.copy"
  case_end "corruption: both copies" "$lost" "$undetected"
}

# A damaged relation page in PGDATA: the backup warns naming file and block 2, info --set lists the file.
damaged_page() {
  local rel label
  case_begin
  cluster_start
  psql_q "CREATE DATABASE damaged" >/dev/null
  psql_q "CREATE TABLE victim (id int, payload text);
          INSERT INTO victim SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 2000) g; CHECKPOINT" \
    "" damaged >/dev/null
  rel=$(psql_q "SELECT pg_relation_filepath('victim')" "" damaged)
  CASE_NOTE="$MODE $rel block 2"
  cluster_stop
  printf 'corrupted-page-data' | dd of="$PGDATA_SRC/$rel" bs=1 seek=$((8192 * 2 + 6000)) conv=notrunc status=none
  cluster_start
  run_tool --stanza=$STANZA --type=incr backup
  expect "the backup succeeds" rc_is 0
  expect "a page checksum warning" output_has "invalid page checksum found in file"
  expect "the warning names block 2 of $rel" eval \
    'printf "%s\n%s\n" "$OUT" "$ERR" | grep "invalid page checksum" | grep "$rel" | grep -q "page 2\b"'
  label=$(newest_label)
  run_tool --stanza=$STANZA --set="$label" info
  expect "info --set lists $rel in the error list" eval 'printf "%s\n" "$OUT" | grep "error list:" | grep -q "$rel"'
  cluster_stop
  case_end "corruption: pgdata page" 0 0
}

corruption() {
  MODE=$1
  FAILED_CASES=()
  rel_seed
  corruption_repository "$MODE"
  local flips i
  if [ "$REL_MODE" == full ]; then flips=25; else flips=7; fi
  for i in $(seq 0 $((flips - 1))); do
    case $(( i % 4 )) in
      0) flip_data_file ;;
      1) flip_wal ;;
      2) flip_manifest ;;
      3) flip_info ;;
    esac
  done
  if [ "$REL_MODE" == full ]; then
    flip_pair archive.info; flip_pair backup.info; flip_pair manifest
  elif [ "$MODE" == plain ]; then
    flip_pair archive.info; flip_pair manifest
  else
    flip_pair backup.info
  fi
  # pgdata page damage: every mode in full, the plain repository in ci.
  if [ "$REL_MODE" == full ] || [ "$MODE" == plain ]; then damaged_page; fi
  [ ${#FAILED_CASES[@]} -eq 0 ] || fail "$(printf '%s\n' "${FAILED_CASES[@]}")"
}

test_corruption_enc_lz4() { corruption enc-lz4; }
test_corruption_plain() { corruption plain; }
