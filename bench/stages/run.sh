#!/usr/bin/env bash
# Stage throughput benchmark: each VaultIO stage alone, the backup chain (SHA-1 > lz4 > AES-256-CBC > SHA-1) and the
# CLI tools on the same 1 GB of PostgreSQL-like data. Not a test: it prints MB/s, it asserts nothing.
#   bench/stages/run.sh [DATA_FILE]     (default: bench/stages/data/pgdata-1G, made once)
# Data: a pgbench_accounts relation (pgbench -i -s 70 in a throwaway cluster) when initdb/pgbench are at hand and
# BENCH_SYNTHETIC is unset; otherwise a synthetic mix. Set BENCH_BZ2=1 to include bzip2 (slow).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
size=$((1000 * 1000 * 1000))
data="${1:-$here/data/pgdata-1G}"
mkdir -p "$here/data"

# PostgreSQL refuses to run as root: there, the cluster is run as the postgres OS user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

make_pgbench() {
    local dir port=54399
    dir="$(mktemp -d)"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    trap 'as_pg pg_ctl -D "$dir/db" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' RETURN
    as_pg initdb -D "$dir/db" -A trust -U bench >/dev/null
    as_pg pg_ctl -D "$dir/db" -o "-p $port -k $dir -c listen_addresses=''" -l "$dir/log" -w start >/dev/null
    as_pg pgbench -h "$dir" -p "$port" -U bench -i -s 70 -q postgres >/dev/null 2>&1
    local rel
    rel="$(as_pg psql -h "$dir" -p "$port" -U bench -At -c "select pg_relation_filepath('pgbench_accounts')" postgres)"
    as_pg psql -h "$dir" -p "$port" -U bench -c checkpoint postgres >/dev/null
    cat "$dir/db/$rel" "$dir/db/$rel".[0-9]* 2>/dev/null | head -c "$size" > "$data.tmp"
    mv "$data.tmp" "$data"
}

make_synthetic() {
    # md5 text rows, blank-padded rows, sorted integers and random toast bytes, interleaved in 8 KiB-ish runs.
    python3 - "$data" "$size" <<'PY'
import hashlib, os, random, struct, sys
path, size = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
with open(path + ".tmp", "wb") as out:
    written, page = 0, 0
    while written < size:
        kind = rnd.randrange(20)
        if kind < 8:
            body = b"".join(struct.pack("<IIi", page * 61 + i, 1, 0) + b" " * 84 for i in range(83))
        elif kind < 13:
            body = b"".join(hashlib.md5(struct.pack("<QQ", page, i)).hexdigest().encode() for i in range(255))
        elif kind < 16:
            key = rnd.randrange(10**6)
            body = b"".join(struct.pack("<QQ", key + i * 3, i) for i in range(510))
        elif kind < 18:
            body = os.urandom(8160)
        else:
            body = b""
        chunk = (struct.pack("<QQQ", page, 0, 0) + body).ljust(8192, b"\0")[:8192]
        out.write(chunk)
        written += 8192
        page += 1
os.truncate(path + ".tmp", size)
os.rename(path + ".tmp", path)
PY
}

if [ ! -s "$data" ]; then
    export PATH="/usr/lib/postgresql/15/bin:$PATH"
    if [ -z "${BENCH_SYNTHETIC:-}" ] && command -v initdb >/dev/null && command -v pgbench >/dev/null; then
        echo "making $data from pgbench -i -s 70 ..."
        make_pgbench
    else
        echo "making synthetic $data ..."
        make_synthetic
    fi
fi

swift build -c release --package-path "$here" --scratch-path "$here/.build" 2>&1 | tail -1
bin="$(swift build -c release --package-path "$here" --scratch-path "$here/.build" --show-bin-path)/stage-bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== VaultIO stages on $(basename "$data") ($(stat -c %s "$data") bytes), one core"
"$bin" "$data" "$work"

echo "== CLI tools on the same data"
cli() {
    local name="$1"; shift
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    awk -v n="$name" -v s="$start" -v e="$end" -v b="$(stat -c %s "$data")" \
        'BEGIN { printf "%-34s %8.0f MB/s  (%.2f s)\n", n, b / 1e6 / (e - s), e - s }'
}
cat "$data" > /dev/null
cli "sha1sum" sha1sum "$data"
cli "lz4 -1" lz4 -1 -c -q "$data"
lz4 -1 -c -q "$data" > "$work/cli.lz4"
cli "lz4 -d" lz4 -d -c -q "$work/cli.lz4"
cli "zstd -3" zstd -3 -c -q "$data"
zstd -3 -c -q "$data" > "$work/cli.zst"
cli "zstd -d" zstd -d -c -q "$work/cli.zst"
cli "gzip -6" gzip -6 -c "$data"
gzip -6 -c "$data" > "$work/cli.gz"
cli "gzip -d" gzip -d -c "$work/cli.gz"
cli "openssl enc -aes-256-cbc" openssl enc -aes-256-cbc -md sha1 -pass pass:bench -in "$data" 2>/dev/null
openssl enc -aes-256-cbc -md sha1 -pass pass:bench -in "$data" -out "$work/cli.aes" 2>/dev/null
cli "openssl enc -d" openssl enc -d -aes-256-cbc -md sha1 -pass pass:bench -in "$work/cli.aes" 2>/dev/null
if [ -n "${BENCH_BZ2:-}" ]; then cli "bzip2 -9" bzip2 -9 -c "$data"; fi
