# Hostile input (issue 8, item 4): a malicious or corrupt repository must not make restore write outside its
# target, trap, or allocate absurd amounts. One real backup is taken; its manifest (both backup.manifest and its
# .copy, so there is no clean fallback) is edited and re-signed with a correct backrest-checksum, and each edited
# set is restored into an empty directory. Every case must fail with its specific error code before anything is
# written: the target stays empty and nothing appears in $SCRATCH/outside (a postgres-writable directory the
# hostile names aim at). A 1 TB size must fail with a checksum error naming the file, leaving no pg_control.
# Then random edits of random file entries (REL_POINTS of them) must restore or fail with an error line, never a
# trap; and the untouched set (main manifest truncated, the .copy intact) must restore with the same data.
# The Swift side of item 4 (fuzzing every parser and decoder) is `swift test --filter Fuzz`.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/record.sh"

suite_cleanup() { cluster_cleanup; }

# manifest_resign IN OUT [OP...]: rewrites the manifest IN to OUT with each OP applied, then recomputes
# backrest-checksum as pgvault and pgBackRest do (reference §2.2: SHA-1 of {"section":{"key":raw,...},...} in file
# order, section names as they are, keys JSON-escaped, values as raw text). OPs:
#   set SECTION KEY RAW   set (or add at the end of the section) a key to raw JSON text
#   del SECTION KEY       remove a key
#   rand SEED             edit one random [target:file] entry: a hostile value for a random field, or a flipped byte
manifest_resign() {
  python3 - "$@" <<'PY'
import hashlib, json, random, sys

src, dst, ops = sys.argv[1], sys.argv[2], sys.argv[3:]
sections = []

def section(name):
    for s in sections:
        if s[0] == name:
            return s
    s = [name, []]
    sections.append(s)
    return s

def is_json(text):
    try:
        json.loads(text)
        return True
    except ValueError:
        return False

current = None
for line in open(src, encoding="utf-8").read().split("\n"):
    if not line:
        continue
    if line.startswith("[") and line.endswith("]"):
        current = section(line[1:-1])
        continue
    cut = line.index("=")
    while not is_json(line[cut + 1:]):
        cut = line.index("=", cut + 1)
    key, raw = line[:cut], line[cut + 1:]
    if current[0] == "backrest" and key == "backrest-checksum":
        continue
    current[1].append([key, raw])

def put(name, key, raw):
    entries = section(name)[1]
    for entry in entries:
        if entry[0] == key:
            entry[1] = raw
            return
    entries.append([key, raw])

hostile = ["9223372036854775808", "-1", "18446744073709551616", '"x"', "null", "1099511627776",
           "1125899906842625", '"../../x"', "[]", "{}", "true", "0", '"0999"', '"9999"']
i = 0
while i < len(ops):
    op = ops[i]
    if op == "set":
        put(ops[i + 1], ops[i + 2], ops[i + 3]); i += 4
    elif op == "del":
        entries = section(ops[i + 1])[1]
        entries[:] = [e for e in entries if e[0] != ops[i + 2]]; i += 3
    elif op == "rand":
        rng = random.Random(int(ops[i + 1])); i += 2
        entry = rng.choice(section("target:file")[1])
        value = json.loads(entry[1])
        if rng.random() < 0.6:
            field = rng.choice(sorted(value.keys()) + ["bno", "repo-size", "mode", "reference"])
            value[field] = json.loads(rng.choice(hostile))
            entry[1] = json.dumps(value, separators=(",", ":"))
        else:
            raw = bytearray(entry[1].encode())
            raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(7)
            entry[1] = raw.decode("utf-8", "replace").replace("\n", " ")
        print("random edit of", entry[0], "->", entry[1][:160])
    else:
        raise SystemExit("unknown op " + op)

def escape(text):
    table = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    return '"' + "".join(table.get(c, c) for c in text) + '"'

body, parts = [], []
for name, entries in sections:
    if not entries:
        continue
    body.append("[%s]\n%s\n" % (name, "".join("%s=%s\n" % (k, r) for k, r in entries)))
    parts.append('"%s":{%s}' % (name, ",".join(escape(k) + ":" + r for k, r in entries)))
checksum = hashlib.sha1(("{" + ",".join(parts) + "}").encode()).hexdigest()
with open(dst, "w", encoding="utf-8") as out:
    out.write("".join(body) + '[backrest]\nbackrest-checksum="%s"\n' % checksum)
PY
}

# hostile_setup: one full backup of a small cluster; sets SET (the set's directory), ORIG (a pristine manifest copy),
# FP (the data fingerprint), OUTSIDE (the canary directory, writable by postgres).
hostile_setup() {
  setup_source plain 1
  make_test_table marks
  insert_batch marks H 1 300
  backup full
  SET=$SCRATCH/repo/backup/$STANZA/$LAST_LABEL
  ORIG=$SCRATCH/orig.manifest
  cp "$SET/backup.manifest" "$ORIG"
  FP=$(fingerprint)
  OUTSIDE=$SCRATCH/outside
  mkdir -p "$OUTSIDE"; chown "$PG_OS_USER": "$OUTSIDE"
  # The re-signing helper must reproduce the real file byte for byte, or every case below would test a checksum error.
  manifest_resign "$ORIG" "$SCRATCH/resigned.manifest"
  cmp -s "$ORIG" "$SCRATCH/resigned.manifest" || fail "manifest_resign does not reproduce $ORIG:
$(diff "$ORIG" "$SCRATCH/resigned.manifest" | head -20)"
  PG_VERSION_RAW=$(grep '^pg_data/PG_VERSION=' "$ORIG" | cut -d= -f2-)
  [ -n "$PG_VERSION_RAW" ] || fail "no pg_data/PG_VERSION entry in the manifest"
}

# install_manifest OP...: the pristine manifest with OPs applied, as both backup.manifest and its .copy.
install_manifest() {
  manifest_resign "$ORIG" "$SET/backup.manifest" "$@" || fail "manifest_resign $* failed"
  cp "$SET/backup.manifest" "$SET/backup.manifest.copy"
}

# Case bookkeeping: CASES/PASSED per group; a failed case is reported and fails the test at the end.
declare -A CASES PASSED
FAILURES=()
case_result() {
  local group=$1 name=$2 problem=$3
  CASES[$group]=$(( ${CASES[$group]:-0} + 1 ))
  if [ -z "$problem" ]; then
    PASSED[$group]=$(( ${PASSED[$group]:-0} + 1 )); echo "ok   $group: $name"
  else
    FAILURES+=("$group: $name: $problem"); echo "FAIL $group: $name: $problem"
  fi
}

# outside_clean: nothing was written to the canary directory (prints what was).
outside_written() { find "$OUTSIDE" -mindepth 1 -print -quit; }

# refused GROUP NAME CODE [RESTORE ARGS...] -- OP...: installs the edited manifest, restores into a new empty
# directory and requires exit CODE with an `ERROR: [CODE]` line, an empty target and an untouched canary.
refused() {
  local group=$1 name=$2 code=$3 dir problem="" args=()
  shift 3
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  install_manifest "$@"
  RESTORES=$(( ${RESTORES:-0} + 1 ))
  dir=$(new_pgdata "r$RESTORES")
  run_tool --stanza=$STANZA --pg1-path="$dir" "${args[@]}" restore
  if [ "$RC" -ne "$code" ]; then
    problem="expected exit $code, got $RC: $(printf '%s' "$ERR" | grep ERROR | head -2)"
  elif [[ "$ERR$OUT" != *"ERROR: [$(printf '%03d' "$code")]"* ]]; then
    problem="no 'ERROR: [$(printf '%03d' "$code")]' line: $ERR"
  elif [ -n "$(ls -A "$dir")" ]; then
    problem="target not empty after the refusal: $(ls -A "$dir" | head -5 | tr '\n' ' ')"
  elif [ -n "$(outside_written)" ]; then
    problem="wrote outside the target: $(outside_written)"
  fi
  [ -z "$problem" ] && echo "     $(printf '%s' "$ERR" | grep -m1 ERROR)"
  case_result "$group" "$name" "$problem"
}

test_hostile_manifests() {
  local file dir problem seed i rc_ok
  rel_seed
  hostile_setup
  local file_raw=$PG_VERSION_RAW

  # Path traversal in names: refused by the manifest loader (FormatError 029).
  refused "hostile: path traversal" "file pg_data/../outside/x" 29 -- set target:file "pg_data/../outside/x" "$file_raw"
  refused "hostile: path traversal" "file pg_data/base/../../outside/x" 29 -- \
    set target:file "pg_data/base/../../outside/x" "$file_raw"
  refused "hostile: path traversal" "absolute file name" 29 -- set target:file "$OUTSIDE/x" "$file_raw"
  refused "hostile: path traversal" "file pg_tblspc/../outside/x" 29 -- set target:file "pg_tblspc/../outside/x" "$file_raw"
  refused "hostile: path traversal" "path pg_data/../outside" 29 -- set target:path "pg_data/../outside" '{}'
  refused "hostile: path traversal" "link pg_data/../outside" 29 -- \
    set target:link "pg_data/../outside" "{\"destination\":\"$OUTSIDE\"}"
  refused "hostile: path traversal" "target pg_data/../../outside" 29 -- \
    set backup:target "pg_data/../../outside" "{\"path\":\"$OUTSIDE\",\"type\":\"link\"}"

  # Tablespace and link targets pointing out of place (LinkDestinationError 070; names 029).
  refused "hostile: link escape" "tablespace location not clean" 70 -- set backup:target "pg_tblspc/99999" \
    "{\"path\":\"$OUTSIDE/../outside/ts\",\"tablespace-id\":\"99999\",\"tablespace-name\":\"evil\",\"type\":\"link\"}"
  refused "hostile: link escape" "tablespace location relative" 70 -- set backup:target "pg_tblspc/99999" \
    '{"path":"../outside/ts","tablespace-id":"99999","tablespace-name":"evil","type":"link"}'
  refused "hostile: link escape" "tablespace location /" 70 -- set backup:target "pg_tblspc/99999" \
    '{"path":"/","tablespace-id":"99999","tablespace-name":"evil","type":"link"}'
  refused "hostile: link escape" "tablespace name ../outside with --tablespace-map-all" 29 \
    --tablespace-map-all="$SCRATCH/tsall" -- set backup:target "pg_tblspc/99999" \
    "{\"path\":\"$OUTSIDE/ts\",\"tablespace-id\":\"99999\",\"tablespace-name\":\"../outside\",\"type\":\"link\"}"
  refused "hostile: link escape" "tablespace id 1/../.." 29 -- set backup:target "pg_tblspc/1/../.." \
    "{\"path\":\"$OUTSIDE/ts\",\"tablespace-id\":\"1/../..\",\"tablespace-name\":\"evil\",\"type\":\"link\"}"
  refused "hostile: link escape" "link to / with --link-all" 70 --link-all -- \
    set backup:target "pg_data/evil" '{"path":"/","type":"link"}'
  refused "hostile: link escape" "link containing the target with --link-all" 70 --link-all -- \
    set backup:target "pg_data/evil" "{\"path\":\"$SCRATCH\",\"type\":\"link\"}"
  refused "hostile: link escape" "file link named ../../x with --link-all" 29 --link-all -- \
    set backup:target "pg_data/evil.conf" "{\"file\":\"../../x\",\"path\":\"$OUTSIDE\",\"type\":\"link\"}"

  # Absurd numbers and modes: refused at load (029), never a trap or an allocation of that size.
  # Numbers JSON cannot hold in 64 bits or as integers are JsonFormatError (099) at the INI line.
  local value code
  for value in 9223372036854775808:29 18446744073709551615:29 1125899906842625:29 -1:29 '"3"':29 null:29 \
               18446744073709551616:99 3.0:99 1e3:99; do
    code=${value##*:}; value=${value%:*}
    refused "hostile: absurd sizes" "size=$value" "$code" -- set target:file pg_data/PG_VERSION \
      "$(printf '%s' "$file_raw" | sed "s/\"size\":[0-9]*/\"size\":$value/")"
  done
  refused "hostile: absurd sizes" "bno=2^63" 29 -- set target:file pg_data/PG_VERSION \
    "$(printf '%s' "$file_raw" | sed 's/}$/,"bni":1,"bno":9223372036854775808}/')"
  refused "hostile: absurd sizes" "timestamp=2^63-1" 29 -- set target:file pg_data/PG_VERSION \
    "$(printf '%s' "$file_raw" | sed 's/"timestamp":[0-9]*/"timestamp":9223372036854775807/')"
  refused "hostile: absurd sizes" "backup-timestamp-start=-2^63" 29 -- \
    set backup backup-timestamp-start -9223372036854775808

  # A setuid file (a root restore takes the manifest's owner): refused at load.
  refused "hostile: setuid file" "mode=4755" 29 -- set target:file pg_data/PG_VERSION \
    "$(printf '%s' "$file_raw" | sed 's/}$/,"mode":"4755"}/')"

  # A 1 TB file whose stored bytes are 3: the restore fails with a checksum error naming the file; no pg_control.
  install_manifest set target:file pg_data/PG_VERSION \
    "$(printf '%s' "$file_raw" | sed 's/"size":[0-9]*/"size":1099511627776/')"
  dir=$(new_pgdata big)
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  problem=""
  if [ "$RC" -ne 26 ]; then problem="expected exit 26, got $RC: $(printf '%s' "$ERR" | grep -m1 ERROR)"
  elif [[ "$ERR" != *"pg_data/PG_VERSION"* ]]; then problem="error does not name pg_data/PG_VERSION: $ERR"
  elif [ -e "$dir/global/pg_control" ]; then problem="pg_control present after a failed restore"
  elif [ "$(du -sm "$dir" | cut -f1)" -gt 1024 ]; then problem="target holds $(du -sh "$dir" | cut -f1)"
  fi
  case_result "hostile: absurd sizes" "1 TB file" "$problem"
  rm -rf "$dir"

  # Truncated manifests: both halves cut gives a clear error and an empty target.
  local half=$(( $(stat -c %s "$ORIG") / 2 ))
  head -c "$half" "$ORIG" >"$SET/backup.manifest"; cp "$SET/backup.manifest" "$SET/backup.manifest.copy"
  dir=$(new_pgdata trunc)
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  problem=""
  # FormatError, ChecksumError or JsonFormatError, depending on where the cut falls.
  if [ "$RC" -ne 29 ] && [ "$RC" -ne 26 ] && [ "$RC" -ne 99 ]; then problem="expected exit 29, 26 or 99, got $RC: $ERR"
  elif [[ "$ERR" != *"backup.manifest"* ]]; then problem="error does not name backup.manifest: $ERR"
  elif [ -n "$(ls -A "$dir")" ]; then problem="target not empty"
  fi
  case_result "hostile: truncated manifest" "main and copy truncated" "$problem"

  # Random edits of file entries: restore either succeeds or ends with an ERROR line and its code; never a trap
  # (exit >= 128), never a write outside.
  for i in $(seq 1 "$REL_POINTS"); do
    seed=$(( REL_SEED * 1000 + i ))
    install_manifest rand "$seed"
    dir=$(new_pgdata "rand$i")
    run_tool --stanza=$STANZA --pg1-path="$dir" restore
    problem=""
    if [ "$RC" -ge 128 ]; then problem="seed $seed: killed by signal $(( RC - 128 )): $(tail -c 600 <<<"$ERR")"
    elif [ "$RC" -ne 0 ] && [[ "$ERR" != *"ERROR: [$(printf '%03d' "$RC")]"* ]]; then problem="seed $seed: exit $RC without its ERROR line: $ERR"
    elif [ -n "$(outside_written)" ]; then problem="seed $seed: wrote outside the target"
    fi
    echo "     seed $seed -> exit $RC $(printf '%s' "$ERR" | grep -m1 ERROR)"
    case_result "hostile: random manifest edits" "edit $i" "$problem"
    rm -rf "$dir"
  done

  # Control: main manifest truncated, .copy intact -> the copy is used, the restore succeeds, the data is equal.
  cp "$ORIG" "$SET/backup.manifest.copy"
  head -c "$half" "$ORIG" >"$SET/backup.manifest"
  dir=$(new_pgdata control)
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  problem=""
  if [ "$RC" -ne 0 ]; then problem="restore from the .copy failed: $RC $ERR"
  elif [[ "$ERR$OUT" != *"backup.manifest"*"copy"* ]]; then problem="no warning about using the copy: $ERR"
  else
    local port restored_fp
    port=$(free_port)
    start_restored "$dir" "$port" promote
    restored_fp=$(fingerprint "$port")
    stop_restored "$dir"
    [ "$restored_fp" == "$FP" ] || problem="data differs after restore: $restored_fp vs $FP"
  fi
  case_result "hostile: truncated manifest" "main truncated, copy used" "$problem"
  cp "$ORIG" "$SET/backup.manifest"; cp "$ORIG" "$SET/backup.manifest.copy"

  local group
  for group in "${!CASES[@]}"; do
    rel_record "$group" "${CASES[$group]}" "${PASSED[$group]:-0}" 0 0 "seed $REL_SEED"
  done
  [ ${#FAILURES[@]} -eq 0 ] || fail "$(printf '%s\n' "${FAILURES[@]}")"
}
