#!/usr/bin/env bash
# pgvault against pgBackRest 2.45 on the same pgbench cluster with the same settings (lz4, aes-256-cbc).
# Measures wall time and peak RSS of full, incr and diff backups, restore and delta restore at process-max 1 and 2,
# and archive-push per segment. Prints a table of seconds, MB and the pgvault/pgBackRest ratios. Not a test.
#   bench/backup/run.sh [SCALE]        (default scale 100, about 1.5 GB; needs root to run PostgreSQL as postgres)
# Environment: PGVAULT (binary, default .build/release/pgvault), PROCESS_MAX_LIST (default "1 2"), ROUNDS (full backup,
# restore and delta restore are measured this many times, default 3, tools alternating which goes first; the table
# shows the median).
# Before every measurement the page cache is written back and dropped (sync; /proc/sys/vm/drop_caches when
# writable), so neither tool pays for the other's dirty pages and both read the repository cold.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
scale="${1:-100}"
pgvault="$(realpath "${PGVAULT:-$top/.build/release/pgvault}")"
pgbackrest=/usr/bin/pgbackrest
source "$here/../lib.sh"
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
[ -x "$pgvault" ] || { echo "build pgvault first: swift build -c release" >&2; exit 1; }

work="$(mktemp -d /tmp/pgvault-bench.XXXXXX)"
chmod 755 "$work"; chown postgres "$work"
port=55432
cleanup() {
  for d in "$work"/pg "$work"/restore-*; do [ -f "$d/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# One config per tool: same settings, separate repositories, both fed by archive_command.
for tool in pgbackrest pgvault; do
  cat > "$work/$tool.conf" <<CONF
[global]
repo1-path=$work/repo-$tool
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=bench-passphrase-0123456789
compress-type=lz4
log-path=$work/log-$tool
lock-path=$work/lock-$tool
log-level-console=warn
log-level-file=off
start-fast=y
repo1-retention-full=99
[bench]
pg1-path=$work/pg
pg1-port=$port
pg1-socket-path=$work
CONF
done
bench_cluster "$work" "$port" "$pgbackrest" "$pgvault"
echo "loading pgbench scale $scale ..."
as_pg "$bin/pgbench" -h "$work" -p "$port" -U postgres -i -s "$scale" -q postgres >/dev/null 2>&1
echo "cluster size: $(du -sh "$work/pg" | cut -f1)"

results=()
rounds=${ROUNDS:-3}
# settle: flush dirty pages and drop the page cache, so each run starts from the same state.
settle() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; fi
  sleep 1
}
# measure NAME TOOL ARGS...: runs as postgres under /usr/bin/time, records "NAME TOOL seconds maxRSS_MB".
measure() {
  local name=$1 tool=$2; shift 2
  local binary; binary="$(eval echo \$$tool)"
  local stats
  settle
  stats=$(as_pg /usr/bin/time -f "%e %M" "$binary" --config="$work/$tool.conf" --stanza=bench "$@" 2>&1 >/dev/null | tail -1)
  results+=("$name $tool $stats")
  echo "  $name $tool: ${stats% *} s, $(( ${stats#* } / 1024 )) MB"
}

# tools_in_order ROUND: odd rounds pgBackRest first, even rounds pgvault first.
tools_in_order() { if [ $(( $1 % 2 )) -eq 1 ]; then echo pgbackrest pgvault; else echo pgvault pgbackrest; fi; }

for pmax in ${PROCESS_MAX_LIST:-1 2}; do
  echo "== process-max $pmax"
  for round in $(seq 1 "$rounds"); do
    for tool in $(tools_in_order "$round"); do measure "full-p$pmax" $tool --type=full --process-max=$pmax backup; done
  done
  as_pg "$bin/pgbench" -h "$work" -p "$port" -U postgres -T 15 -c 2 postgres >/dev/null 2>&1
  for tool in pgbackrest pgvault; do measure "incr-p$pmax" $tool --type=incr --process-max=$pmax backup; done
  as_pg "$bin/pgbench" -h "$work" -p "$port" -U postgres -T 15 -c 2 postgres >/dev/null 2>&1
  for tool in pgbackrest pgvault; do measure "diff-p$pmax" $tool --type=diff --process-max=$pmax backup; done
  for round in $(seq 1 "$rounds"); do
    for tool in $(tools_in_order "$round"); do
      rm -rf "$work/restore-$tool"; mkdir -p "$work/restore-$tool"; chown postgres "$work/restore-$tool"; chmod 700 "$work/restore-$tool"
      measure "restore-p$pmax" $tool --pg1-path="$work/restore-$tool" --process-max=$pmax restore
      # Delta restore over the restored copy with a few files damaged.
      find "$work/restore-$tool/base" -type f -size +1M | head -3 | xargs -r truncate -s 8192
      measure "delta-p$pmax" $tool --pg1-path="$work/restore-$tool" --process-max=$pmax --delta restore
    done
  done
done

# archive-push per segment: push the same 20 WAL segments into a scratch stanza of each tool, one process each.
segments=$(ls "$work/pg/pg_wal" | grep -E '^[0-9A-F]{24}$' | head -20)
for tool in pgbackrest pgvault; do
  conf="$work/$tool-push.conf"
  sed "s#repo1-path=.*#repo1-path=$work/push-$tool#" "$work/$tool.conf" > "$conf"
  as_pg "$(eval echo \$$tool)" --config="$conf" --stanza=bench stanza-create >/dev/null
  start=$(date +%s.%N)
  for s in $segments; do as_pg "$(eval echo \$$tool)" --config="$conf" --stanza=bench archive-push "$work/pg/pg_wal/$s"; done
  end=$(date +%s.%N)
  per=$(echo "($end - $start) / $(echo "$segments" | wc -l)" | bc -l)
  results+=("archive-push-per-segment $tool $(printf %.3f "$per") 0")
  echo "  archive-push $tool: $(printf %.3f "$per") s/segment"
done

echo
printf '%-26s %12s %12s %8s %12s %12s\n' case pgbackrest_s pgvault_s ratio pgbr_MB pgvault_MB
# median_of NAME TOOL: "median-seconds max-rss-kB" over that case's runs.
median_of() {
  printf '%s\n' "${results[@]}" | awk -v n="$1" -v t="$2" '$1==n && $2==t {print $3, $4}' | sort -n |
    awk '{s[NR]=$1; if ($2>m) m=$2} END {print s[int((NR+1)/2)], m}'
}
for name in $(printf '%s\n' "${results[@]}" | awk '!seen[$1]++ {print $1}'); do
  read -r bs bm <<<"$(median_of "$name" pgbackrest)"
  read -r vs vm <<<"$(median_of "$name" pgvault)"
  printf '%-26s %12s %12s %8.2f %12d %12d\n' "$name" "$bs" "$vs" "$(echo "$vs / $bs" | bc -l)" $((bm / 1024)) $((vm / 1024))
done
