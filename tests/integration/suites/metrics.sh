# metrics: `pgvault metrics` and `pgvault exporter` against a real cluster and repository. After a backup and a
# verify, /metrics (curl over loopback) has every metric with the values info --output=json and the repository
# give; a corrupting flip and a verify turn verify_status to 0; the exporter keeps answering while a backup runs
# and shows it in progress; progress lines in a pseudo-terminal (script) and the 10% INFO lines off a TTY;
# --log-format=json lines parse with python's json; pgBackRest 2.45 ignores the verify status file.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() {
  [ -f "$SCRATCH/exporter.pid" ] && kill "$(cat "$SCRATCH/exporter.pid")" 2>/dev/null || true
  [ -f "$SCRATCH/backup.pid" ] && kill "$(cat "$SCRATCH/backup.pid")" 2>/dev/null || true
  cluster_cleanup
}

# trace_errors: a command that fails under set -e names itself and its line in the test log.
trace_errors() { set -E; trap 'echo "failed at line $LINENO: $BASH_COMMAND" >&2' ERR; }

# start_exporter: runs the exporter as postgres on a free loopback port in the background, waits for /healthz;
# sets EXPORTER_URL.
start_exporter() {
  local port
  port=$(free_port)
  setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups \
    "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --listen=127.0.0.1:$port exporter \
    >"$SCRATCH/exporter.out" 2>&1 &
  echo $! >"$SCRATCH/exporter.pid"
  EXPORTER_URL=http://127.0.0.1:$port
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$EXPORTER_URL/healthz")" == 200 ] && break
    sleep 0.2
  done
  [ "$(curl -s "$EXPORTER_URL/healthz")" == ok ] || { cat "$SCRATCH/exporter.out"; fail "exporter not healthy"; }
  grep -q "listening on 127.0.0.1:$port" "$SCRATCH/exporter.out" || fail "exporter did not say where it listens"
  echo "exporter at $EXPORTER_URL"
}

stop_exporter() {
  local pid
  pid=$(cat "$SCRATCH/exporter.pid")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$SCRATCH/exporter.pid"
}

METRIC_PY='
import re, sys
name, want = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[3:])
found = []
for line in sys.argv[2].splitlines():
    m = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
    if not m or m.group(1) != name: continue
    labels = dict(re.findall(r"(\w+)=\"([^\"]*)\"", m.group(2) or ""))
    if all(labels.get(k) == v for k, v in want.items()): found.append(float(m.group(3)))
if len(found) != 1: sys.exit(f"{name} {want}: {len(found)} samples")
v = found[0]; print(int(v) if v == int(v) else v)
'

# metric TEXT NAME [LABEL=VALUE...]: the value of the one sample of NAME with those labels in exposition TEXT.
metric() {
  local text=$1 name=$2; shift 2
  python3 -c "$METRIC_PY" "$name" "$text" "$@" || fail "no single sample of $name $*"
}

# flip_byte FILE: inverts one byte in the middle of FILE, in place.
flip_byte() {
  python3 -c 'import sys
p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[len(d)//2]^=0xFF; open(p,"r+b").write(d)' "$1"
  echo "flipped a byte in ${1#$SCRATCH/repo/}"
}

test_metrics_after_backup_and_verify_then_a_corrupting_flip() {
  pgvault_only "metrics and exporter are pgvault commands" && return 0
  trace_errors
  setup_source plain
  backup full
  local full=$LAST_LABEL
  psql_q "INSERT INTO pgbench_history SELECT 1, 1, 1, 1, now() FROM generate_series(1, 1000)" >/dev/null
  backup diff
  local diff=$LAST_LABEL
  wal_switch_archived
  local before after
  before=$(date +%s)
  tool_ok --stanza=$STANZA verify
  after=$(date +%s)
  assert_file "$SCRATCH/repo/backup/$STANZA/pgvault.verify.json"
  start_exporter
  local text now
  text=$(curl -sf "$EXPORTER_URL/metrics") || fail "GET /metrics failed"
  now=$(date +%s)
  echo "$text"
  local name
  for name in pgbackrest_stanza_status pgbackrest_repo_status pgbackrest_last_backup_timestamp \
      pgbackrest_backup_duration_seconds pgbackrest_backup_size_bytes pgbackrest_backup_delta_bytes \
      pgbackrest_backup_repo_size_bytes pgbackrest_backup_repo_delta_bytes pgbackrest_verify_status \
      pgbackrest_verify_last_run_timestamp pgbackrest_wal_archive_max_timestamp pgbackrest_wal_archive_lag_seconds \
      pgbackrest_recovery_window_seconds pgbackrest_backup_in_progress; do
    grep -q "^# TYPE $name gauge" <<<"$text" || fail "/metrics lacks $name"
  done
  # Values against info --output=json.
  local type label b
  for type in full diff; do
    [ $type == full ] && label=$full || label=$diff
    b="[x for x in d[0]['backup'] if x['label']=='$label'][0]"
    assert_eq "$(metric "$text" pgbackrest_last_backup_timestamp stanza=$STANZA repo=1 type=$type)" \
      "$(info_json "$b['timestamp']['stop']")" "(last $type backup stop time)"
    assert_eq "$(metric "$text" pgbackrest_backup_duration_seconds stanza=$STANZA repo=1 type=$type)" \
      "$(info_json "$b['timestamp']['stop'] - $b['timestamp']['start']")" "($type duration)"
    assert_eq "$(metric "$text" pgbackrest_backup_size_bytes stanza=$STANZA repo=1 type=$type)" \
      "$(info_json "$b['info']['size']")" "($type size)"
    assert_eq "$(metric "$text" pgbackrest_backup_delta_bytes stanza=$STANZA repo=1 type=$type)" \
      "$(info_json "$b['info']['delta']")" "($type delta)"
    assert_eq "$(metric "$text" pgbackrest_backup_repo_size_bytes stanza=$STANZA repo=1 type=$type)" \
      "$(info_json "$b['info']['repository']['size']")" "($type repo size)"
    assert_eq "$(metric "$text" pgbackrest_backup_repo_delta_bytes stanza=$STANZA repo=1 type=$type)" \
      "$(info_json "$b['info']['repository']['delta']")" "($type repo delta)"
  done
  if python3 -c "$METRIC_PY" pgbackrest_last_backup_timestamp "$text" type=incr >/dev/null 2>&1; then
    fail "no incr backup, yet a sample"
  fi
  assert_eq "$(metric "$text" pgbackrest_stanza_status stanza=$STANZA)" "$(info_json "d[0]['status']['code']")"
  assert_eq "$(metric "$text" pgbackrest_stanza_status stanza=$STANZA)" 0
  assert_eq "$(metric "$text" pgbackrest_repo_status stanza=$STANZA repo=1)" 0
  assert_eq "$(metric "$text" pgbackrest_backup_in_progress stanza=$STANZA)" 0
  assert_eq "$(metric "$text" pgbackrest_verify_status stanza=$STANZA repo=1)" 1
  local verified
  verified=$(metric "$text" pgbackrest_verify_last_run_timestamp stanza=$STANZA repo=1)
  [ "$verified" -ge "$before" ] && [ "$verified" -le "$after" ] || fail "verify time $verified not in [$before, $after]"
  # The newest archived segment (info's archive max) and its file time in the repository.
  local max wal_time lag window oldest
  max=$(info_json "d[0]['archive'][0]['max']")
  wal_time=$(stat -c %Y "$(ls -d "$SCRATCH/repo/archive/$STANZA/15-1/${max:0:16}/$max"-* | head -1)")
  assert_eq "$(metric "$text" pgbackrest_wal_archive_max_timestamp stanza=$STANZA repo=1)" "$wal_time" "(newest WAL $max)"
  lag=$(metric "$text" pgbackrest_wal_archive_lag_seconds stanza=$STANZA repo=1)
  [ "$lag" -ge 0 ] && [ "$lag" -le $((now - wal_time + 1)) ] || fail "lag $lag, expected about $((now - wal_time))"
  oldest=$(info_json "d[0]['backup'][0]['timestamp']['stop']")
  window=$(metric "$text" pgbackrest_recovery_window_seconds stanza=$STANZA repo=1)
  assert_eq "$window" "$((wal_time - oldest))" "(recovery window)"
  if grep -E '^pgbackrest_[a-z_]+\{' <<<"$text" \
      | grep -vE '^[a-z_]+\{(stanza|repo|type)="[^"]*"(,(stanza|repo|type)="[^"]*")*\} '; then
    fail "a label other than stanza, repo, type"
  fi
  # `metrics` prints the same series once.
  tool_ok metrics
  assert_eq "$(metric "$OUT" pgbackrest_last_backup_timestamp stanza=$STANZA repo=1 type=diff)" \
    "$(metric "$text" pgbackrest_last_backup_timestamp stanza=$STANZA repo=1 type=diff)"
  assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "$EXPORTER_URL/nothing")" 404 "(unknown path)"
  stop_exporter

  # A flipped byte in a data file of the full: verify fails and the status turns 0.
  local file
  file=$(cd "$SCRATCH/repo/backup/$STANZA/$full" && find pg_data/base -type f -size +8k | sort | sed -n 1p)
  flip_byte "$SCRATCH/repo/backup/$STANZA/$full/$file"
  run_tool --stanza=$STANZA verify
  assert_rc 202
  start_exporter
  text=$(curl -sf "$EXPORTER_URL/metrics") || fail "GET /metrics failed"
  assert_eq "$(metric "$text" pgbackrest_verify_status stanza=$STANZA repo=1)" 0 "(after the flip)"
  tool_ok --stanza=$STANZA metrics
  assert_eq "$(metric "$OUT" pgbackrest_verify_status stanza=$STANZA repo=1)" 0 "(metrics after the flip)"
  stop_exporter
}

test_pgbackrest_ignores_the_verify_status_file() {
  pgvault_only "the status file is written by pgvault's verify" && return 0
  setup_source plain
  backup full
  backup full
  tool_ok --stanza=$STANZA verify
  assert_file "$SCRATCH/repo/backup/$STANZA/pgvault.verify.json"
  local pgbr=(runuser -u postgres -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA)
  local expected
  expected=$("${pgbr[@]}" --output=json info) || fail "pgbackrest info failed"
  tool_ok --stanza=$STANZA --output=json info
  assert_eq "$OUT" "$expected" "(info of pgBackRest and pgvault)"
  "${pgbr[@]}" --log-level-console=warn verify || fail "pgbackrest verify failed beside the status file"
  "${pgbr[@]}" --log-level-console=warn --repo1-retention-full=1 expire || fail "pgbackrest expire failed"
  assert_eq "$(info_json "len(d[0]['backup'])")" 1 "(pgBackRest expired one full)"
  assert_file "$SCRATCH/repo/backup/$STANZA/pgvault.verify.json"
}

test_exporter_serves_while_a_backup_runs_and_shows_progress() {
  pgvault_only "the exporter is a pgvault command" && return 0
  trace_errors
  setup_source gz-pm1 10
  conf_set compress-level 9
  start_exporter
  setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups \
    "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --type=full --log-level-console=info backup \
    >"$SCRATCH/backup.out" 2>&1 &
  local pid=$! text seen=0 answered=0 percent="" rc
  echo $pid >"$SCRATCH/backup.pid"
  while kill -0 $pid 2>/dev/null; do
    text=$(curl -sf -m 5 "$EXPORTER_URL/metrics") || fail "exporter stopped answering during the backup"
    answered=$((answered + 1))
    if [ "$(metric "$text" pgbackrest_backup_in_progress stanza=$STANZA)" == 1 ]; then
      seen=$((seen + 1))
      percent=$(metric "$text" pgbackrest_backup_in_progress_percent stanza=$STANZA)
      echo "in progress: $percent%"
    fi
    sleep 0.3
  done
  wait $pid && rc=0 || rc=$?
  rm -f "$SCRATCH/backup.pid"
  assert_eq "$rc" 0 "(backup while scraped: $(tail -5 "$SCRATCH/backup.out"))"
  echo "scrapes: $answered, in progress: $seen"
  [ $seen -ge 1 ] || fail "the running backup never showed in progress"
  python3 -c "import sys; p=float(sys.argv[1]); sys.exit(0 if 0 <= p <= 100 else 1)" "$percent" \
    || fail "percent '$percent' out of range"
  text=$(curl -sf "$EXPORTER_URL/metrics") || fail "GET /metrics after the backup failed"
  assert_eq "$(metric "$text" pgbackrest_backup_in_progress stanza=$STANZA)" 0 "(after the backup)"
  stop_exporter
  # Off a TTY: one INFO line per 10% step reached, in increasing order, ending at 100%. Files go largest first, so
  # pgbench_accounts alone takes the first line past 70%.
  local steps
  steps=$(grep -oE 'INFO: backup progress [0-9]+%' "$SCRATCH/backup.out" | grep -oE '[0-9]+' | tr '\n' ' ')
  echo "steps: $steps"
  python3 -c "import sys
s=[int(x) for x in sys.argv[1].split()]
sys.exit(0 if s and s[-1]==100 and s==sorted(set(s)) and all(x%10==0 for x in s) and len(s)>=3 else 1)" "$steps" \
    || fail "10% steps not as expected: $steps"
  grep -qE 'INFO: backup progress 100% \(100\.0% [0-9.]+[KMGT]?B/[0-9.]+[KMGT]?B [0-9.]+[KMGT]?B/s [0-9]+/[0-9]+ files ETA ' \
    "$SCRATCH/backup.out" || fail "progress log line lacks bytes, rate, files or ETA"
}

CHECK_TTY_PY='
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace", newline="").read()
draws = re.findall(r"\r\x1b\[K([^\r\n\x1b]*)", text)
pattern = re.compile(r"(\d+\.\d)% \d+(\.\d)?[KMGT]?B/\d+(\.\d)?[KMGT]?B \d+(\.\d)?[KMGT]?B/s (\d+)/(\d+) files ETA (\d+:\d\d:\d\d|--:--:--)")
parsed = [pattern.fullmatch(d) for d in draws]
if not draws or not all(parsed):
    sys.exit(f"{sys.argv[2]}: bad progress draws: {draws[:5]!r} in {text[-500:]!r}")
last = parsed[-1]
if last.group(1) != "100.0" or last.group(5) != last.group(6):
    sys.exit(f"{sys.argv[2]}: last draw not complete: {draws[-1]!r}")
percents = [float(p.group(1)) for p in parsed]
if percents != sorted(percents):
    sys.exit(f"{sys.argv[2]}: percent went back: {percents}")
print(f"{sys.argv[2]}: {len(draws)} draws, last {draws[-1]!r}")
'

# check_tty_progress FILE WHAT: the pty output redraws a line in place (CR, erase line) with percent, bytes
# done/total, rate, files and ETA, and reaches 100%.
check_tty_progress() { python3 -c "$CHECK_TTY_PY" "$1" "$2" || fail "$2 progress in a pty"; }

test_progress_line_in_a_pseudo_terminal() {
  pgvault_only "live progress is pgvault's" && return 0
  setup_source plain 2
  local cmd="runuser -u postgres -- $VAULT_BIN --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA"
  script -qec "$cmd --type=full backup" /dev/null >"$SCRATCH/tty-backup.out" 2>&1 || {
    cat "$SCRATCH/tty-backup.out"; fail "backup in a pty failed"; }
  check_tty_progress "$SCRATCH/tty-backup.out" backup
  script -qec "$cmd verify" /dev/null >"$SCRATCH/tty-verify.out" 2>&1 || {
    cat "$SCRATCH/tty-verify.out"; fail "verify in a pty failed"; }
  check_tty_progress "$SCRATCH/tty-verify.out" verify
  local target
  target=$(new_pgdata restored)
  script -qec "$cmd --pg1-path=$target restore" /dev/null >"$SCRATCH/tty-restore.out" 2>&1 || {
    cat "$SCRATCH/tty-restore.out"; fail "restore in a pty failed"; }
  check_tty_progress "$SCRATCH/tty-restore.out" restore
  assert_file "$target/PG_VERSION"
  # Off a TTY (stdout a pipe) no live line is drawn.
  run_tool --stanza=$STANZA verify
  assert_rc 0
  [[ "$OUT" != *$'\e[K'* ]] || fail "live line drawn off a terminal"
}

JSON_LOG_PY='
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l.strip()]
assert lines, "no lines"
levels = set()
for number, line in enumerate(lines, 1):
    try:
        entry = json.loads(line)
    except ValueError as error:
        sys.exit(f"line {number} is not JSON ({error}): {line!r}")
    for key in ("time", "level", "process", "message"):
        assert key in entry, f"line {number} lacks {key}: {line!r}"
    assert isinstance(entry["process"], int), line
    if "stanza" in entry: assert entry["stanza"] == sys.argv[2], line
    if "command" in entry: assert entry["command"] == "backup", line
    levels.add(entry["level"])
entries = [json.loads(l) for l in lines]
assert any(e.get("command") == "backup" and e.get("stanza") == sys.argv[2] for e in entries), "no line names them"
assert any("new backup label" in e["message"] for e in entries), "no backup label line"
print(f"{sys.argv[1]}: {len(lines)} JSON lines, levels {sorted(levels)}")
'

test_json_logs_parse_line_by_line() {
  pgvault_only "--log-format=json is pgvault's" && return 0
  setup_source plain
  run_tool --stanza=$STANZA --type=full --log-format=json --log-level-console=info --log-level-file=detail backup
  assert_rc 0
  [ -n "$OUT" ] || fail "no console log lines"
  printf '%s\n' "$OUT" >"$SCRATCH/console.jsonl"
  local file
  for file in "$SCRATCH/console.jsonl" "$SCRATCH/log/$STANZA-backup.log"; do
    assert_file "$file"
    python3 -c "$JSON_LOG_PY" "$file" "$STANZA" || fail "JSON log lines of $file do not parse"
  done
}
