#!/usr/bin/env bash
# The `make demo` job: backup and point-in-time restore of a throwaway PostgreSQL 15 cluster with BINARY (pgvault, or
# pgBackRest itself for comparison), on a local encrypted lz4 repository. Prints every step with its duration and
# removes everything it made. Must run as root (the cluster runs as the postgres OS user).
# Usage: scripts/demo.sh [BINARY]   (default .build/debug/pgvault)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lib=$here/../tests/integration/lib

[ "$(id -u)" -eq 0 ] || { echo "demo.sh must run as root (it runs PostgreSQL as the postgres user)" >&2; exit 1; }
VAULT_BIN=$(realpath "${1:-.build/debug/pgvault}")
[ -x "$VAULT_BIN" ] || { echo "no executable at $VAULT_BIN (build first)" >&2; exit 1; }
export VAULT_BIN
SCRATCH=$(mktemp -d /tmp/pgvault-demo.XXXXXX)
chmod 755 "$SCRATCH"
export SCRATCH
cd "$SCRATCH"
source "$lib/harness.sh"
source "$lib/cluster.sh"

# fail (from harness.sh) exits the shell; the trap below then cleans up.
cleanup() {
  local rc=$?
  cluster_cleanup
  if [ $rc -ne 0 ]; then
    echo "demo failed (exit $rc); last commands of $(basename "$VAULT_BIN"):" >&2
    tail -20 "$SCRATCH/tool.log" 2>/dev/null >&2 || true
  fi
  rm -rf "$SCRATCH"
  exit $rc
}
trap cleanup EXIT

step_no=0
# step TITLE COMMAND...: runs COMMAND and prints the step with how long it took.
step() {
  local title=$1 start end; shift
  step_no=$((step_no + 1))
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  printf '%2d. %-62s %7.2fs\n' "$step_no" "$title" "$(echo "$end - $start" | bc)"
}

make_cluster() { cluster_init; set_encryption; set_compress lz4; cluster_start; }
load_data() {
  pgbench_init 2
  psql_q "CREATE TABLE orders (id int PRIMARY KEY, batch text NOT NULL, item text NOT NULL, placed_at timestamptz NOT NULL DEFAULT clock_timestamp())" >/dev/null
}
batch() { psql_q "INSERT INTO orders (id, batch, item) SELECT g, '$1', '$1-item-' || g FROM generate_series($2, $3) g" >/dev/null; }
note_time() {
  sleep 1
  TARGET=$(psql_q "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
  sleep 1
}
do_backup() { backup "$1" >/dev/null; }
restore_pitr() {
  RESTORED=$(new_pgdata restored)
  restore_to "$RESTORED" --type=time --target="$TARGET" --target-action=promote
}
start_copy() { RPORT=$(free_port); start_restored "$RESTORED" "$RPORT" promote >/dev/null; }
stop_all() { stop_restored "$RESTORED"; cluster_stop; }

echo "pgvault demo with $VAULT_BIN ($("$VAULT_BIN" version 2>/dev/null || echo unknown version))"
echo "scratch directory: $SCRATCH"
step "install PostgreSQL 15 if missing" ensure_postgres
step "initdb -k and start a cluster (archive_command = this binary)" make_cluster
step "stanza-create (encrypted aes-256-cbc, lz4)" stanza_create
step "load pgbench scale 2 and create table orders" load_data
step "full backup" do_backup full
step "batch A: orders 1-5" batch A 1 5
step "note the time" note_time
echo "    target time: $TARGET"
step "batch B: orders 6-10" batch B 6 10
step "incremental backup" do_backup incr
step "batch C: orders 11-15" batch C 11 15
step "switch WAL and wait for it in the archive" wal_switch_archived
step "restore to the noted time into a new directory" restore_pitr
step "start the restored cluster on another port, recover to target" start_copy

echo
echo "source cluster (port $PGPORT_SRC) holds batches: $(batches orders)"
echo "restored cluster (port $RPORT) holds:"
psql_q "SELECT id || '  ' || batch || '  ' || item FROM orders ORDER BY id" "$RPORT" | sed 's/^/    /'
[ "$(batches orders "$RPORT")" == "A:5" ] || fail "the restored cluster does not hold exactly batch A"
echo "exactly batch A is there"
echo
step "stop both clusters" stop_all
echo "demo finished; cleaning up $SCRATCH"
