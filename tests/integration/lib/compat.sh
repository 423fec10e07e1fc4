# Helpers of the two-way compatibility suites (compat_*.sh) with pgBackRest 2.45 (/usr/bin/pgbackrest, Debian 12).
# Source after cluster.sh. "vault" = the binary under test ($VAULT_BIN), "peer" = pgBackRest. Both read the same
# $SCRATCH/pgbackrest.conf unless a --config is given first.

PEER=/usr/bin/pgbackrest

# peer ARGS...: runs pgBackRest as postgres with the scratch config; $OUT, $ERR, $RC (as run_tool).
peer() {
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- "$PEER" --config="$SCRATCH/pgbackrest.conf" "$@" 2>"$SCRATCH/.stderr")
  RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
  echo "\$ pgbackrest $* -> $RC" >>"$SCRATCH/tool.log"
  printf '%s\n%s\n' "$OUT" "$ERR" >>"$SCRATCH/tool.log"
}
peer_ok() { peer "$@"; assert_rc 0; }

# tool ARGS...: `peer` or `vault` followed by arguments; runs that tool (run_tool / peer).
tool() { local who=$1; shift; if [ "$who" == peer ]; then peer "$@"; else run_tool "$@"; fi; }
tool_must() { tool "$@"; assert_rc 0; }

# compat_mode MODE: the issue's matrix. plain = compress-type none, unencrypted; enc-lz4 / enc-gz / enc-zst =
# aes-256-cbc with that compression.
compat_mode() {
  case "$1" in
    plain) set_compress none ;;
    enc-lz4|enc-gz|enc-zst) set_encryption; set_compress "${1#enc-}" ;;
    *) fail "unknown compat mode $1" ;;
  esac
  echo "compat mode: $1"
}

# archive_through WHO: archive_command of the source cluster (before it starts). `peer` = pgbackrest archive-push;
# `vault` = pgvault archive-push through $SCRATCH/bin/pgbackrest-pgvault-wrapper, a script that execs the binary
# under test: its name holds the word pgbackrest that pgBackRest's check and backup look for in archive_command.
archive_through() {
  local cmd
  if [ "$1" == peer ]; then
    cmd="$PEER --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p"
  else
    mkdir -p "$SCRATCH/bin"
    printf '#!/bin/sh\nexec %q "$@"\n' "$VAULT_BIN" >"$SCRATCH/bin/pgbackrest-pgvault-wrapper"
    chmod 755 "$SCRATCH/bin" "$SCRATCH/bin/pgbackrest-pgvault-wrapper"
    cmd="$SCRATCH/bin/pgbackrest-pgvault-wrapper --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p"
  fi
  echo "archive_command = '$cmd'" >>"$PGDATA_SRC/postgresql.conf"
}

# compat_source WRITER MODE: cluster archiving through WRITER, repository mode, started, stanza created by WRITER,
# pgbench scale 1 and a marks table.
compat_source() {
  cluster_init
  compat_mode "$2"
  archive_through "$1"
  cluster_start
  tool_must "$1" --stanza=$STANZA stanza-create
  pgbench_init 1
  make_test_table marks
}

# labels_of WHO: backup labels in backup.info order as WHO's info JSON reports them, space separated.
labels_of() {
  tool_must "$1" --stanza=$STANZA --output=json info
  printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(b["label"] for b in d[0]["backup"]))'
}

# take_backup WHO TYPE: a backup by WHO; LAST_LABEL = the newest label, checked to have TYPE's suffix.
take_backup() {
  local labels
  tool_must "$1" --stanza=$STANZA --type="$2" backup
  labels=$(labels_of "$1"); LAST_LABEL=${labels##* }
  case "$2" in full) [[ "$LAST_LABEL" =~ ^[0-9]{8}-[0-9]{6}F$ ]] ;; diff) [[ "$LAST_LABEL" == *D ]] ;;
    incr) [[ "$LAST_LABEL" == *I ]] ;; esac || fail "$1 $2 backup has label '$LAST_LABEL'"
  echo "$1 backup $2 -> $LAST_LABEL"
}

# pitr_point BATCH: commits rows of BATCH, notes the time after that commit in PITR_TIME and the data then in
# PITR_FP, then commits a later batch that a restore to PITR_TIME must not contain, and archives the segment holding
# it (recovery has to see a commit past the target to stop there).
pitr_point() {
  local base=$(( $(psql_q "SELECT coalesce(max(id), 0) FROM marks") + 1 ))
  insert_batch marks "$1" "$base" $(( base + 99 ))
  PITR_FP=$(fingerprint)
  PITR_TIME=$(psql_q "SELECT clock_timestamp()")
  sleep 0.3
  insert_batch marks "$1-after" $(( base + 100 )) $(( base + 199 ))
  wal_switch_archived
  echo "pitr target $PITR_TIME"
}

# restore_check WHO LABEL FINGERPRINT NAME [RESTORE ARGS...]: WHO restores LABEL into a new directory $SCRATCH/NAME
# (default recovery: --type=immediate, promote), the cluster starts and its data equals FINGERPRINT.
restore_check() {
  local who=$1 label=$2 fp=$3 name=$4 dir port; shift 4
  dir=$(new_pgdata "$name")
  [ $# -gt 0 ] || set -- --type=immediate --target-action=promote
  tool_must "$who" --stanza=$STANZA --pg1-path="$dir" --set="$label" "$@" restore
  grep -q "restore_command = '$( [ "$who" == peer ] && echo "$PEER" || echo "$VAULT_BIN") " \
    "$dir/postgresql.auto.conf" || fail "restore_command of $who restore is not $who archive-get"
  port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$fp" "$(fingerprint "$port")"
  stop_restored "$dir"
  echo "$who restored $label into $dir: data equal"
}

# restore_pitr_check WHO LABEL NAME: WHO restores LABEL with --type=time to PITR_TIME (WAL through WHO's
# archive-get, as its restore_command) and the data equals PITR_FP.
restore_pitr_check() {
  restore_check "$1" "$2" "$PITR_FP" "$3" --type=time --target="$PITR_TIME" --target-action=promote
}

# same_info ARGS...: `info ARGS` of both tools: text byte-identical, JSON equal after json.loads. Console log level
# warn so only the report is compared.
same_info() {
  local expected actual
  peer_ok --log-level-console=warn "$@" info; expected=$OUT
  tool_must vault --log-level-console=warn "$@" info; actual=$OUT
  [ "$expected" == "$actual" ] || fail "info $* text differs (pgbackrest <, pgvault >):
$(diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"))"
  peer_ok --log-level-console=warn --output=json "$@" info; expected=$OUT
  tool_must vault --log-level-console=warn --output=json "$@" info; actual=$OUT
  python3 - "$expected" "$actual" <<'EOF' || fail "info --output=json $* differs"
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
if a != b:
    print("pgbackrest:", json.dumps(a, indent=1, sort_keys=True)); print("pgvault:", json.dumps(b, indent=1, sort_keys=True))
    sys.exit(1)
EOF
  echo "info $* equal (text and JSON)"
}

# info_backups_summary WHO: "type label size delta repo-size wal-start wal-stop" per backup from WHO's info JSON.
info_backups_summary() {
  tool_must "$1" --stanza=$STANZA --output=json info
  printf '%s' "$OUT" | python3 -c 'import json,sys
for b in json.load(sys.stdin)[0]["backup"]:
    print(b["type"], b["label"], b["info"]["size"], b["info"]["delta"], b["info"]["repository"]["delta"], b["archive"]["start"], b["archive"]["stop"])'
}

# verify_ok WHO: WHO's verify of the stanza finds nothing wrong (console at info: no WARN/ERROR, completed).
verify_ok() {
  tool_must "$1" --stanza=$STANZA --log-level-console=info verify
  [[ "$OUT$ERR" != *"ERROR"* && "$OUT$ERR" != *"WARN"* && "$OUT$ERR" != *"status: error"* ]] ||
    fail "$1 verify complained: $OUT $ERR"
  assert_log_contains "verify command end: completed successfully"
  echo "$1 verify ok"
}

# tree_listing DIR: every path below DIR with type and, for files, SHA-1; sorted.
tree_listing() {
  (cd "$1" && {
    find . ! -type f -printf '%y %p\n'
    find . -type f -exec sha1sum {} + | awk '{print "f", $2, $1}'
  } | sort)
}

# expire_messages TEXT: the "repoN: ..." messages of expire's console log, [DRY-RUN] prefix and log header removed.
expire_messages() { printf '%s\n' "$1" | sed -n 's/^.*INFO: \(\[DRY-RUN\] \)\{0,1\}\(repo[0-9]*: .*\)$/\2/p'; }

# expire_same_as_dry_run ARGS...: pgvault `expire --dry-run ARGS` first; its messages name the sets and WAL ranges
# it would remove. Then `pgbackrest expire ARGS` on the repository: its messages equal pgvault's, the paths it
# removed are exactly those sets' directories and the WAL files in those ranges, and its repository equals a copy
# that pgvault's own expire (not dry-run) processed, byte for byte (backup.info rewrites included).
expire_same_as_dry_run() {
  local dry before after ours theirs
  tool_must vault --stanza=$STANZA --dry-run "$@" expire
  dry=$(expire_messages "$OUT
$ERR")
  [ -n "$dry" ] || fail "pgvault expire --dry-run $* printed no expire messages: $OUT $ERR"
  printf 'pgvault dry-run:\n%s\n' "$dry"
  before=$(tree_listing "$SCRATCH/repo")
  cp -a "$SCRATCH/repo" "$SCRATCH/repo-vault-expired"
  tool_must vault --stanza=$STANZA --repo1-path="$SCRATCH/repo-vault-expired" "$@" expire
  peer_ok --stanza=$STANZA --log-level-console=info "$@" expire
  theirs=$(expire_messages "$OUT
$ERR")
  [ "$dry" == "$theirs" ] || fail "expire messages differ (pgvault dry-run <, pgbackrest >):
$(diff <(printf '%s\n' "$dry") <(printf '%s\n' "$theirs"))"
  after=$(tree_listing "$SCRATCH/repo")
  ours=$(tree_listing "$SCRATCH/repo-vault-expired")
  # backup.info is compared decrypted below (encrypted bytes start with a random salt).
  [ "$(grep -v ' ./backup/[^/]*/backup.info' <<<"$after")" == "$(grep -v ' ./backup/[^/]*/backup.info' <<<"$ours")" ] ||
    fail "pgbackrest expire left another repository than pgvault expire (pgbackrest <, pgvault >):
$(diff <(printf '%s\n' "$after") <(printf '%s\n' "$ours"))"
  repo_text peer "$SCRATCH/repo" backup/$STANZA/backup.info "$SCRATCH/expired-by-pgbackrest.info"
  repo_text peer "$SCRATCH/repo-vault-expired" backup/$STANZA/backup.info "$SCRATCH/expired-by-pgvault.info"
  cmp "$SCRATCH/expired-by-pgbackrest.info" "$SCRATCH/expired-by-pgvault.info" ||
    fail "backup.info after expire differs: $(diff "$SCRATCH/expired-by-pgbackrest.info" "$SCRATCH/expired-by-pgvault.info")"
  printf '%s\n' "$before" >"$SCRATCH/listing-before"; printf '%s\n' "$after" >"$SCRATCH/listing-after"
  python3 - "$dry" "$SCRATCH/listing-before" "$SCRATCH/listing-after" "$STANZA" <<'PY' || fail "pgbackrest expire removed other paths than pgvault's dry-run named"
import re, sys
dry, stanza = sys.argv[1], sys.argv[4]
before, after = open(sys.argv[2]).read().splitlines(), set(open(sys.argv[3]).read().splitlines())
labels = [l for line in dry.splitlines() if " backup set " in line for l in line.split(" backup set ", 1)[1].split(", ")]
ranges = re.findall(r"remove archive, start = ([0-9A-F]{24}), stop = ([0-9A-F]{24})", dry)
path = lambda entry: entry.split(" ")[1]
def expected_gone(p):
    if any(p == f"./backup/{stanza}/{l}" or p.startswith(f"./backup/{stanza}/{l}/") for l in labels):
        return True
    m = re.match(rf"\./archive/{stanza}/[^/]+/[0-9A-F]{{16}}/([0-9A-F]{{24}})[-.]", p)  # segments and .backup files
    return bool(m) and any(a <= m.group(1) <= b for a, b in ranges)
after_paths = {path(e) for e in after}
gone = sorted({path(e) for e in before} - after_paths)
want = sorted(p for p in {path(e) for e in before} if expected_gone(p))
print(f"labels {labels}, wal ranges {ranges}: {len(gone)} paths removed")
if gone != want or not gone:
    print("removed, not named:", sorted(set(gone) - set(want))); print("named, not removed:", sorted(set(want) - set(gone)))
    sys.exit(1)
PY
  echo "pgbackrest expire $* removed what pgvault's dry-run named: $(printf '%s' "$dry" | tr '\n' ';')"
}

# repo_text WHO REPO PATH FILE: WHO's `repo-get PATH` of repository REPO (decrypted plaintext) into FILE.
repo_text() {
  local bin=$VAULT_BIN; [ "$1" == peer ] && bin=$PEER
  runuser -u "$PG_OS_USER" -- "$bin" --config="$SCRATCH/pgbackrest.conf" --repo1-path="$2" --stanza=$STANZA \
    --log-level-console=warn repo-get "$3" >"$4" 2>"$SCRATCH/.stderr" || fail "$1 repo-get $3 of $2: $(cat "$SCRATCH/.stderr")"
}

# golden_compare EXPECTED ACTUAL MASKS...: two info files or manifests (plaintext): first each file's
# backrest-checksum is recomputed from its own text (pgBackRest's algorithm, format reference §2.2) and must match;
# then, with the values of MASKS replaced on both sides, the files are compared section by section. A mask is
# `label=OLD=NEW` (text substitution, both sides: set labels), `key=NAME` (the value of key NAME in any section),
# or `objkey=NAME` (the NAME member of JSON object values, e.g. backup.info entries or manifest file entries).
golden_compare() {
  python3 - "$@" <<'PY'
import hashlib, json, re, sys
exp_path, act_path, masks = sys.argv[1], sys.argv[2], sys.argv[3:]

def esc(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\r', '\\r') \
        .replace('\t', '\\t').replace('\b', '\\b').replace('\f', '\\f') + '"'

def parse(text):
    rows, section = [], None
    for line in text.split('\n'):
        if line == '':
            continue
        if line.startswith('[') and line.endswith(']'):
            section = line[1:-1]; continue
        # the first '=' whose remainder is JSON (keys may hold '=')
        for i, c in enumerate(line):
            if c == '=':
                try:
                    json.loads(line[i + 1:]); break
                except ValueError:
                    pass
        else:
            raise SystemExit(f"unparsable line {line!r}")
        rows.append((section, line[:i], line[i + 1:]))
    return rows

def checksum_ok(path, text, rows):
    stated = [json.loads(v) for s, k, v in rows if s == 'backrest' and k == 'backrest-checksum']
    out, prev = '{', None
    for s, k, v in rows:
        if s == 'backrest' and k == 'backrest-checksum':
            continue
        if s != prev:
            out += ('},' if prev is not None else '') + '"' + s + '":{'
        else:
            out += ','
        out += esc(k) + ':' + v
        prev = s
    out += '}}'
    got = hashlib.sha1(out.encode()).hexdigest()
    if stated != [got]:
        raise SystemExit(f"{path}: backrest-checksum {stated} but the text hashes to {got}")
    if not text.endswith('\n') or text.endswith('\n\n'):
        raise SystemExit(f"{path}: must end with exactly one newline")

def relabel(text):
    for m in masks:
        kind, _, rest = m.partition('=')
        if kind == 'label':
            old, new = rest.split('=')
            text = text.replace(old, new)
    return text

def masked(text):
    rows = []
    for s, k, v in parse(relabel(text)):
        for m in masks:
            kind, _, name = m.partition('=')
            if kind == 'key' and k == name:
                v = '"<masked>"'
            elif kind == 'objkey' and v.startswith('{'):
                v = re.sub(r'("' + re.escape(name) + r'":)("[^"]*"|-?[0-9]+|true|false|null)', r'\1"<masked>"', v)
        rows.append((s, k, v))
    return rows

texts = [open(p, encoding='utf-8').read() for p in (exp_path, act_path)]
for p, t in zip((exp_path, act_path), texts):
    checksum_ok(p, t, parse(t))
exp, act = masked(texts[0]), masked(texts[1])
sections = list(dict.fromkeys([s for s, _, _ in exp] + [s for s, _, _ in act]))
bad = 0
for sec in sections:
    e = [(k, v) for s, k, v in exp if s == sec]
    a = [(k, v) for s, k, v in act if s == sec]
    if e != a:
        bad += 1
        print(f"[{sec}] differs:")
        for row in e:
            if row not in a: print("  pgbackrest:", row[0] + '=' + row[1])
        for row in a:
            if row not in e: print("  pgvault:   ", row[0] + '=' + row[1])
        if sorted(e) == sorted(a): print("  (same rows, other order)")
# section order and layout (blank lines, duplicate [backrest]) after masking: the masked texts line by line
layout = lambda t: [l if not ('=' in l) else l.split('=', 1)[0] for l in t.split('\n')]
if layout(relabel(texts[0])) != layout(relabel(texts[1])) and not bad:
    bad += 1; print("layout (section or key order, blank lines) differs")
print(f"{len(sections)} sections, {len(exp)} keys compared, {bad} differing")
sys.exit(1 if bad else 0)
PY
}
