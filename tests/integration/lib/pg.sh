# Shell helpers for throwaway PostgreSQL 15 clusters in integration tests. Source this file; run as root.
#
# A cluster lives in one directory DIR:
#   DIR/data        PGDATA (initdb -k, owned by postgres)
#   DIR/.s.PGSQL.*  the unix socket (unix_socket_directories = DIR)
#   DIR/port        the port it listens on (127.0.0.1 and the socket)
#   DIR/server.log  the server log
#
#   pg_cluster_create DIR PORT [initdb args...]   make DIR and initialise the cluster (does not start it)
#   pg_cluster_conf DIR 'name = value'...         append settings to postgresql.conf
#   pg_cluster_start DIR                          pg_ctl start -w (prints the log on failure)
#   pg_cluster_stop DIR [fast|immediate|smart]    pg_ctl stop when running
#   pg_cluster_destroy DIR                        stop and remove DIR
#   pg_psql DIR [psql args...]                    psql -XAtq as postgres through the socket, e.g. pg_psql DIR -c 'select 1'
#   pg_data DIR                                   print PGDATA
#   pg_as_postgres CMD [ARGS...]                  run a command as the postgres OS user

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Installs the PostgreSQL 15 server from Debian when initdb is missing.
pg_ensure_installed() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "pg.sh: installing postgresql-15" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null || return 1
    fi
    # The Debian package starts its own cluster on 5432; ours use their own ports, so it may stay.
}

pg_as_postgres() {
    (cd / && runuser -u postgres -- "$@")
}

pg_data() {
    echo "$1/data"
}

pg_port() {
    cat "$1/port"
}

pg_cluster_create() {
    local dir=$1 port=$2
    shift 2
    [ -n "$dir" ] && [ -n "$port" ] || { echo "usage: pg_cluster_create DIR PORT [initdb args]" >&2; return 2; }
    pg_ensure_installed || return 1
    mkdir -p "$dir" && chown postgres: "$dir" && chmod 0700 "$dir" || return 1
    pg_as_postgres "$PG_BIN/initdb" -k -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C \
        --no-instructions "$@" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    echo "$port" >"$dir/port"
    pg_cluster_conf "$dir" \
        "port = $port" \
        "listen_addresses = '127.0.0.1'" \
        "unix_socket_directories = '$dir'" \
        "max_connections = 40" \
        "wal_level = replica"
}

pg_cluster_conf() {
    local dir=$1 line
    shift
    for line in "$@"; do
        echo "$line" >>"$dir/data/postgresql.conf" || return 1
    done
}

pg_cluster_start() {
    local dir=$1
    if ! pg_as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 start >/dev/null; then
        echo "pg.sh: cluster $dir failed to start; server log:" >&2
        cat "$dir/server.log" >&2
        return 1
    fi
}

pg_cluster_stop() {
    local dir=$1 mode=${2:-fast}
    [ -f "$dir/data/postmaster.pid" ] || return 0
    pg_as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m "$mode" -w -t 120 stop >/dev/null
}

pg_cluster_destroy() {
    local dir=$1
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    pg_cluster_stop "$dir" immediate || true
    rm -rf "$dir"
}

pg_psql() {
    local dir=$1
    shift
    pg_as_postgres "$PG_BIN/psql" -XAtq -v ON_ERROR_STOP=1 -h "$dir" -p "$(pg_port "$dir")" -U postgres -d postgres "$@"
}
