# Throwaway PostgreSQL 15 clusters for the integration suites. Source after harness.sh.
# Tests run as root; every PostgreSQL process and every call of the binary under test runs as the postgres OS user.
# Layout under $SCRATCH: pg/ (the source cluster), repo/, log/, lock/, pgbackrest.conf, and restored clusters beside.

PG_BIN=/usr/lib/postgresql/15/bin
PG_OS_USER=postgres
STANZA=main
CIPHER_PASS='it-passphrase-4e1f9c0d7b2a'

# ensure_postgres: installs postgresql-15 from Debian when initdb is missing.
ensure_postgres() {
  [ -x "$PG_BIN/initdb" ] && return 0
  echo "installing postgresql-15"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 \
    >/dev/null
  [ -x "$PG_BIN/initdb" ] || fail "postgresql-15 did not install"
}

# is_pgbackrest: true when the binary under test is pgBackRest itself (the reference run).
is_pgbackrest() { [[ "$(basename "$VAULT_BIN")" == pgbackrest* ]]; }

# pgvault_only: call first in a test that checks something pgvault does better than pgBackRest 2.45. Under
# pgBackRest the test ends with exit code 77, which the runner counts as skipped (never as passed).
# Usage: pgvault_only "reason" && return 0
pgvault_only() {
  if is_pgbackrest; then
    echo "not applicable to pgbackrest: $*"
    exit 77
  fi
  return 1
}

as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }

# free_port: a loopback TCP port no socket uses, in any state (random, so parallel runs do not collide). Below the
# kernel's ephemeral range (32768+), so an outgoing connection's local port never takes it before postgres binds.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 10000 + RANDOM % 22000 ))
    if ! ss -Htan "( sport = :$port or dport = :$port )" | grep -q . && [ ! -e "$SCRATCH/.s.PGSQL.$port" ]; then
      echo "$port"; return 0
    fi
  done
  fail "no free port found"
}

# cluster_init [DIR]: initdb -k a new cluster (default $SCRATCH/pg), configured for archiving through the binary
# under test, and writes $SCRATCH/pgbackrest.conf. Sets PGDATA_SRC and PGPORT_SRC. Does not start it.
cluster_init() {
  ensure_postgres
  local dir=${1:-$SCRATCH/pg}
  chown "$PG_OS_USER": "$SCRATCH"
  mkdir -p "$SCRATCH/repo" "$SCRATCH/log" "$SCRATCH/lock"
  chown "$PG_OS_USER": "$SCRATCH/repo" "$SCRATCH/log" "$SCRATCH/lock"
  as_pg "$PG_BIN/initdb" -k -N -A trust -U postgres -D "$dir" >"$SCRATCH/initdb.log" 2>&1 || {
    cat "$SCRATCH/initdb.log"; fail "initdb failed"; }
  PGDATA_SRC=$dir
  PGPORT_SRC=$(free_port)
  cat >>"$dir/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PGPORT_SRC
unix_socket_directories = '$SCRATCH'
archive_mode = on
archive_command = '$VAULT_BIN --config=$SCRATCH/pgbackrest.conf --stanza=$STANZA archive-push %p'
wal_level = replica
max_wal_senders = 3
shared_buffers = 32MB
fsync = off
log_min_messages = info
EOF
  declare -gA CONF_GLOBAL=()
  declare -gA CONF_STANZA=()
  write_config
}

# write_config: (re)writes $SCRATCH/pgbackrest.conf from the defaults plus CONF_GLOBAL / CONF_STANZA overrides.
write_config() {
  local key conf=$SCRATCH/pgbackrest.conf
  {
    echo "[global]"
    echo "repo1-path=$SCRATCH/repo"
    echo "log-path=$SCRATCH/log"
    echo "lock-path=$SCRATCH/lock"
    echo "log-level-console=info"
    echo "log-level-file=detail"
    echo "start-fast=y"
    echo "archive-timeout=60"
    for key in $(printf '%s\n' "${!CONF_GLOBAL[@]}" | sort); do echo "$key=${CONF_GLOBAL[$key]}"; done
    echo
    echo "[$STANZA]"
    echo "pg1-path=$PGDATA_SRC"
    echo "pg1-port=$PGPORT_SRC"
    echo "pg1-socket-path=$SCRATCH"
    for key in $(printf '%s\n' "${!CONF_STANZA[@]}" | sort); do echo "$key=${CONF_STANZA[$key]}"; done
  } >"$conf"
  chown "$PG_OS_USER": "$conf"
  chmod 640 "$conf"
}

# conf_set KEY VALUE / conf_unset KEY: global options of the config file.
conf_set() { CONF_GLOBAL[$1]=$2; write_config; }
conf_unset() { unset "CONF_GLOBAL[$1]"; write_config; }

# set_encryption [PASS]: aes-256-cbc with the given passphrase (before stanza-create).
set_encryption() { conf_set repo1-cipher-type aes-256-cbc; conf_set repo1-cipher-pass "${1:-$CIPHER_PASS}"; }
set_compress() { conf_set compress-type "$1"; }
set_process_max() { conf_set process-max "$1"; }

# repo_mode MODE: the repository variants the acceptance list asks for.
#   plain: no encryption, compress-type=none      enc-lz4: aes-256-cbc + lz4
#   zst / gz: that compression, unencrypted        pm1 / pm4: enc-lz4 with process-max 1 / 4
#   gz-pm1: gz, unencrypted, process-max 1         enc-zst-pm4: aes-256-cbc + zst, process-max 4
repo_mode() {
  case "$1" in
    plain) set_compress none ;;
    enc-lz4) set_encryption; set_compress lz4 ;;
    zst) set_compress zst ;;
    gz) set_compress gz ;;
    pm1) set_encryption; set_compress lz4; set_process_max 1 ;;
    pm4) set_encryption; set_compress lz4; set_process_max 4 ;;
    gz-pm1) set_compress gz; set_process_max 1 ;;
    enc-zst-pm4) set_encryption; set_compress zst; set_process_max 4 ;;
    *) fail "unknown repo mode $1" ;;
  esac
  echo "repository mode: $1"
}

# pg_start DIR [PORT] [extra postgres -c options...] / pg_stop DIR [MODE] / pg_restart DIR
pg_start() {
  local dir=$1 port=${2:-}; shift; shift || true
  local opts=""
  [ -n "$port" ] && opts="-p $port"
  local o; for o in "$@"; do opts+=" -c $o"; done
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir.log" -w -t 120 -o "$opts" start >/dev/null || {
    tail -30 "$dir.log"; fail "postgres in $dir did not start"; }
}
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$1" -m "${2:-fast}" -w -t 120 stop >/dev/null || fail "postgres in $1 did not stop"; }
pg_restart() { pg_stop "$1"; pg_start "$1"; }
cluster_start() { pg_start "$PGDATA_SRC"; }
cluster_stop() { pg_stop "$PGDATA_SRC"; }

# psql_q SQL [PORT] [DB]: runs SQL on the cluster and prints the result unaligned without headers (a scalar for one
# value). Fails the test on an SQL error.
psql_q() {
  local out
  out=$(as_pg psql -X -q -v ON_ERROR_STOP=1 -At -h "$SCRATCH" -p "${2:-$PGPORT_SRC}" -d "${3:-postgres}" -U postgres \
    -c "$1" 2>&1) || fail "psql failed on port ${2:-$PGPORT_SRC}: $1: $out"
  printf '%s\n' "$out"
}

# pgbench_init SCALE: loads pgbench tables into the postgres database of the source cluster.
pgbench_init() {
  as_pg pgbench -i -q -s "$1" -h "$SCRATCH" -p "$PGPORT_SRC" -U postgres postgres >"$SCRATCH/pgbench.log" 2>&1 || {
    cat "$SCRATCH/pgbench.log"; fail "pgbench -i failed"; }
  assert_eq "$(psql_q "SELECT count(*) FROM pgbench_accounts")" "$(( $1 * 100000 ))" "(pgbench_accounts rows)"
}

# pgbench_run SECONDS|-t N: some write traffic.
pgbench_run() {
  as_pg pgbench -n "$@" -h "$SCRATCH" -p "$PGPORT_SRC" -U postgres postgres >>"$SCRATCH/pgbench.log" 2>&1 ||
    fail "pgbench run failed"
}

# run_tool ARGS...: runs the binary under test as postgres with the scratch config; $OUT, $ERR, $RC as run_pgvault.
run_tool() {
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" "$@" 2>"$SCRATCH/.stderr")
  RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
  echo "\$ $(basename "$VAULT_BIN") $* -> $RC" >>"$SCRATCH/tool.log"
  printf '%s\n%s\n' "$OUT" "$ERR" >>"$SCRATCH/tool.log"
}

# tool_ok ARGS...: run_tool and require exit code 0.
tool_ok() { run_tool "$@"; assert_rc 0; }

# stanza_create: stanza-create on the source cluster (running).
stanza_create() { tool_ok --stanza=$STANZA stanza-create; }

# backup TYPE [ARGS...]: takes a backup and sets LAST_LABEL to the label of the newest set.
backup() {
  local type=$1; shift
  tool_ok --stanza=$STANZA --type="$type" "$@" backup
  LAST_LABEL=$(newest_label)
  [ -n "$LAST_LABEL" ] || fail "no backup label after $type backup"
  echo "backup $type -> $LAST_LABEL"
}

# newest_label: the label of the newest backup according to info --output=json.
newest_label() {
  local json
  json=$(runuser -u "$PG_OS_USER" -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA \
    --output=json info 2>/dev/null) || return 0
  printf '%s' "$json" | python3 -c 'import json,sys
d=json.load(sys.stdin); b=d[0].get("backup",[]) if d else []
print(b[-1]["label"] if b else "")'
}

# info_json_field EXPR: evaluates a python expression over d = info --output=json of the stanza.
info_json() {
  run_tool --stanza=$STANZA --output=json info
  assert_rc 0
  printf '%s' "$OUT" | python3 -c "import json,sys
d=json.load(sys.stdin)
print($1)"
}

# Test data ------------------------------------------------------------------------------------------------------

# make_test_table NAME [PORT]: a small table with a primary key used to mark batches.
make_test_table() {
  psql_q "CREATE TABLE $1 (id int PRIMARY KEY, batch text NOT NULL, payload text NOT NULL)" "${2:-}" >/dev/null
}

# insert_batch TABLE BATCH FROM TO [PORT]: rows FROM..TO tagged with BATCH, in one transaction.
insert_batch() {
  psql_q "INSERT INTO $1 SELECT g, '$2', md5(g::text || '$2') FROM generate_series($3, $4) g" "${5:-}" >/dev/null
}

# fingerprint [PORT]: one line per user table of the postgres database: name, row count, md5 of its ordered rows.
fingerprint() {
  local port=${1:-$PGPORT_SRC} tables t
  tables=$(psql_q "SELECT quote_ident(schemaname)||'.'||quote_ident(tablename) FROM pg_tables
                   WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1" "$port")
  for t in $tables; do
    psql_q "SELECT '$t', count(*), md5(coalesce(string_agg(x::text, E'\n' ORDER BY x::text), '')) FROM $t x" "$port"
  done
}

# assert_fingerprint_eq EXPECTED ACTUAL: the two fingerprints are identical (and not empty).
assert_fingerprint_eq() {
  [ -n "$1" ] || fail "empty expected fingerprint"
  [ "$1" == "$2" ] || fail "data differs after restore:
expected:
$1
actual:
$2"
  echo "data equal: $(printf '%s\n' "$1" | wc -l) tables"
}

# batches TABLE [PORT]: "batch:count" per batch present, sorted, comma separated.
batches() {
  psql_q "SELECT string_agg(batch||':'||n, ',' ORDER BY batch) FROM (SELECT batch, count(*) n FROM $1 GROUP BY batch) s" \
    "${2:-}"
}

# wal_switch_archived: forces a WAL switch and waits until that segment is archived.
wal_switch_archived() {
  local seg
  psql_q "SELECT txid_current()" >/dev/null   # make sure the current segment has content
  seg=$(psql_q "SELECT pg_walfile_name(pg_switch_wal())")
  wait_archived "$seg"
}

# wait_archived SEG: waits until pg_stat_archiver reports SEG (or later) archived.
wait_archived() {
  local seg=$1 last failed
  for _ in $(seq 1 600); do
    last=$(psql_q "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
    if [[ -n "$last" && ! "$last" < "$seg" ]]; then return 0; fi
    sleep 0.1
  done
  failed=$(psql_q "SELECT coalesce(last_failed_wal,'')||' '||failed_count FROM pg_stat_archiver")
  fail "segment $seg not archived in 60s (last archived '$last', failed: $failed)"
}

# Restored clusters ----------------------------------------------------------------------------------------------

# new_pgdata NAME: an empty directory owned by postgres, mode 0700, for a restore; prints its path.
new_pgdata() {
  local dir=$SCRATCH/$1
  mkdir -p "$dir"; chown "$PG_OS_USER": "$dir"; chmod 700 "$dir"
  echo "$dir"
}

# restore_to DIR ARGS...: restore into DIR (pg1-path=DIR) with the given options, requiring success.
restore_to() {
  local dir=$1; shift
  tool_ok --stanza=$STANZA --pg1-path="$dir" "$@" restore
}

# start_restored DIR PORT MODE: starts a restored cluster on PORT (archiving off so it never writes the repository)
# and waits for recovery to end as MODE says:
#   promote  - recovery finished and the cluster is a primary (pg_is_in_recovery() = false)
#   pause    - replay paused at the target (pg_get_wal_replay_pause_state() = 'paused')
#   shutdown - the server stopped itself at the target
start_restored() {
  local dir=$1 port=$2 mode=$3 state
  rm -f "$dir.log"
  if [ "$mode" == shutdown ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir.log" -W -o "-p $port -c archive_mode=off" start >/dev/null ||
      fail "pg_ctl start of $dir failed"
    for _ in $(seq 1 1200); do
      sleep 0.1
      if ! as_pg "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1 && grep -q "shutdown at recovery target\|database system is shut down" "$dir.log" 2>/dev/null; then
        echo "restored cluster $dir shut down at target"; return 0
      fi
    done
    tail -30 "$dir.log"; fail "restored cluster in $dir did not shut down at the target"
  fi
  pg_start "$dir" "$port" archive_mode=off
  for _ in $(seq 1 1200); do
    case "$mode" in
      promote) state=$(psql_q "SELECT pg_is_in_recovery()" "$port"); [ "$state" == f ] && break ;;
      pause) state=$(psql_q "SELECT pg_get_wal_replay_pause_state()" "$port"); [ "$state" == paused ] && break ;;
      *) fail "unknown recovery mode $mode" ;;
    esac
    sleep 0.1
  done
  case "$mode" in
    promote) [ "$state" == f ] || { tail -30 "$dir.log"; fail "restored cluster $dir still in recovery"; } ;;
    pause) [ "$state" == paused ] || { tail -30 "$dir.log"; fail "restored cluster $dir not paused at target"; } ;;
  esac
  echo "restored cluster $dir on port $port: $mode"
}

# stop_restored DIR: immediate stop of a restored cluster (no checkpoint needed for a throwaway copy).
stop_restored() { as_pg "$PG_BIN/pg_ctl" -D "$1" -m immediate -w stop >/dev/null 2>&1 || true; }

# Repository snapshots -------------------------------------------------------------------------------------------

# repo_listing: every path of the repository with type, size and SHA-1 of files, sorted.
repo_listing() {
  (cd "$SCRATCH/repo" && {
    find . ! -type f -printf '%y %p\n'
    find . -type f -exec sha1sum {} + | awk '{print "f", $2, $1}'
  } | sort)
}

# assert_repo_unchanged BEFORE: the repository listing equals BEFORE.
assert_repo_unchanged() {
  local after; after=$(repo_listing)
  [ "$1" == "$after" ] || fail "repository changed:
$(diff <(printf '%s\n' "$1") <(printf '%s\n' "$after"))"
}

# cluster_cleanup: immediate stop of every postgres whose data directory lies under $SCRATCH (suite_cleanup).
cluster_cleanup() {
  [ -n "${SCRATCH:-}" ] && [ -d "$SCRATCH" ] || return 0
  local pidfile
  find "$SCRATCH" -maxdepth 3 -name postmaster.pid 2>/dev/null | while read -r pidfile; do
    runuser -u "$PG_OS_USER" -- "$PG_BIN/pg_ctl" -D "$(dirname "$pidfile")" -m immediate -w -t 30 stop \
      >/dev/null 2>&1 || true
  done
}

# setup_source MODE [SCALE]: cluster with the given repository mode, started, stanza created, pgbench loaded.
setup_source() {
  cluster_init
  repo_mode "$1"
  cluster_start
  stanza_create
  pgbench_init "${2:-1}"
}

# descendants PID: PID and every process below it.
descendants() {
  local child
  echo "$1"
  for child in $(pgrep -P "$1"); do descendants "$child"; done
}

# wait_backup_lock: waits until a backup holds the stanza's backup lock; prints the holder's pid.
wait_backup_lock() {
  local lock="$SCRATCH/lock/$STANZA-backup.lock" holder=""
  for _ in $(seq 1 600); do
    holder=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("pid",""))' "$lock" 2>/dev/null || true)
    [ -n "$holder" ] && break
    sleep 0.02
  done
  [ -n "$holder" ] || fail "no backup took the lock (no pid in $lock)"
  echo "$holder"
}

# kill_full_backup_mid_copy: starts a full backup as the postgres user, SIGKILLs it and every child once at least 3
# files are stored in the new set, and sets KILLED_LABEL_DIR to that set. Fails if the backup ends first (raise the
# pgbench scale then). The set must be left resumable: backup.manifest.copy present, backup.manifest absent.
kill_full_backup_mid_copy() {
  local pid procs label_dir=""
  # setpriv execs the binary itself, so $! is the backup's own pid.
  setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups \
    "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --type=full backup \
    >"$SCRATCH/killed-backup.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    label_dir=$(find "$SCRATCH/repo/backup/$STANZA" -maxdepth 1 -name '*F' -type d 2>/dev/null | head -1)
    if [ -n "$label_dir" ] && [ "$(find "$label_dir/pg_data" -type f ! -name '*.tmp' 2>/dev/null | wc -l)" -ge 3 ]; then
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null || { cat "$SCRATCH/killed-backup.log"; fail "backup finished before it could be killed"; }
  procs=$(descendants "$pid")
  kill -STOP $procs 2>/dev/null || true
  kill -KILL $procs 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do pgrep -P "$pid" >/dev/null 2>&1 || break; sleep 0.1; done
  echo "killed backup $(basename "$label_dir") with $(find "$label_dir/pg_data" -type f | wc -l) files stored"
  assert_no_file "$label_dir/backup.manifest"
  assert_file "$label_dir/backup.manifest.copy"
  KILLED_LABEL_DIR=$label_dir
}
