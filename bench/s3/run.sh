#!/usr/bin/env bash
# pgvault against pgBackRest 2.45 on S3: the same moto server, the same pgbench data, the same settings (lz4,
# aes-256-cbc, process-max 2). Measures a full backup and a restore per tool, and counts the requests each makes
# through the request-counting proxy (tests/integration/lib/s3_fault_proxy.py at fault rate 0).
# pgBackRest 2.45 speaks only HTTPS to S3, so both tools go through the same stunnel TLS front:
#   tool --TLS--> stunnel --> counting proxy --> moto_server, all on 127.0.0.1.
#   bench/s3/run.sh [SCALE]   (default 20; needs root to run PostgreSQL as postgres; pip moto[server], stunnel4)
# Environment: PGVAULT (binary, default .build/release/pgvault). Not a test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
scale="${1:-20}"
pgvault="$(realpath "${PGVAULT:-$top/.build/release/pgvault}")"
pgbackrest=/usr/bin/pgbackrest
source "$here/../lib.sh"
proxy_py="$top/tests/integration/lib/s3_fault_proxy.py"
[ -x "$pgvault" ] || { echo "build pgvault first: swift build -c release" >&2; exit 1; }
command -v moto_server >/dev/null || pip install -q 'moto[server]'
command -v stunnel4 >/dev/null || apt-get install -y -qq stunnel4 >/dev/null
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

work="$(mktemp -d /tmp/pgvault-s3bench.XXXXXX)"
chmod 755 "$work"; chown postgres "$work"
port=55433
pids=()
cleanup() {
  for d in "$work"/pg "$work"/restore-*; do [ -f "$d/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# moto, the counting proxy in front of it, stunnel in front of the proxy.
moto_port=$(free_port)
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -s "http://127.0.0.1:$moto_port/" >/dev/null && break; sleep 0.1; done
python3 "$proxy_py" --upstream "http://127.0.0.1:$moto_port" --port-file "$work/proxy.port" --fault-rate 0 \
  >"$work/proxy.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
proxy_port=$(cat "$work/proxy.port")
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1
tls_port=$(free_port)
cat >"$work/stunnel.conf" <<CONF
foreground = yes
pid =
[s3]
accept = 127.0.0.1:$tls_port
connect = 127.0.0.1:$proxy_port
cert = $work/tls.crt
key = $work/tls.key
CONF
stunnel4 "$work/stunnel.conf" >"$work/stunnel.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$tls_port") 2>/dev/null && break; sleep 0.1; done
counts() { curl -s "http://127.0.0.1:$proxy_port/__fault_proxy__/counts"; }
reset_counts() { curl -s -X POST "http://127.0.0.1:$proxy_port/__fault_proxy__/reset" >/dev/null; }
requests() { counts | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("total", sum(d.get("methods", {}).values())))'; }

for tool in pgbackrest pgvault; do
  curl -s -X PUT "http://127.0.0.1:$moto_port/bench-$tool" >/dev/null
  cat > "$work/$tool.conf" <<CONF
[global]
repo1-type=s3
repo1-s3-bucket=bench-$tool
repo1-s3-endpoint=127.0.0.1
repo1-s3-region=us-east-1
repo1-s3-uri-style=path
repo1-storage-port=$tls_port
repo1-storage-verify-tls=n
repo1-s3-key=bench-key
repo1-s3-key-secret=bench-secret
repo1-path=/repo
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=bench-passphrase-0123456789
compress-type=lz4
process-max=2
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
  chown postgres "$work/$tool.conf"
done

bench_cluster "$work" "$port" "$pgbackrest" "$pgvault"
echo "loading pgbench scale $scale ..."
as_pg "$bin/pgbench" -h "$work" -p "$port" -U postgres -i -s "$scale" -q postgres >/dev/null 2>&1
echo "cluster size: $(du -sh "$work/pg" | cut -f1)"

results=()
# measure NAME TOOL ARGS...: wall seconds, peak RSS and the requests the proxy saw.
measure() {
  local name=$1 tool=$2; shift 2
  local binary stats reqs; binary="$(eval echo \$$tool)"
  reset_counts
  stats=$(as_pg /usr/bin/time -f "%e %M" "$binary" --config="$work/$tool.conf" --stanza=bench "$@" 2>&1 >/dev/null | tail -1)
  reqs=$(requests)
  results+=("$name $tool $stats $reqs")
  echo "  $name $tool: ${stats% *} s, $(( ${stats#* } / 1024 )) MB, $reqs requests"
}
for tool in pgbackrest pgvault; do measure full $tool --type=full backup; done
for tool in pgbackrest pgvault; do
  mkdir -p "$work/restore-$tool"; chown postgres "$work/restore-$tool"; chmod 700 "$work/restore-$tool"
  measure restore $tool --pg1-path="$work/restore-$tool" restore
done

echo
printf '%-10s %12s %12s %8s %10s %10s\n' case pgbackrest_s pgvault_s ratio pgbr_req pgvault_req
for name in full restore; do
  read -r _ _ bs _ br <<<"$(printf '%s\n' "${results[@]}" | awk -v n="$name" '$1==n && $2=="pgbackrest"')"
  read -r _ _ vs _ vr <<<"$(printf '%s\n' "${results[@]}" | awk -v n="$name" '$1==n && $2=="pgvault"')"
  printf '%-10s %12s %12s %8.2f %10s %10s\n' "$name" "$bs" "$vs" "$(echo "$vs / $bs" | bc -l)" "$br" "$vr"
done
