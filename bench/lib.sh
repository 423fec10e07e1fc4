# Shared by the bench scripts: the throwaway cluster both tools back up, archiving through both of them.
bin=/usr/lib/postgresql/15/bin
as_pg() { runuser -u postgres -- "$@"; }

# bench_cluster WORK PORT PGBACKREST PGVAULT: initdb -k WORK/pg on a Unix socket in WORK, archive_command pushing to
# pgBackRest (WORK/pgbackrest.conf) then pgvault (WORK/pgvault.conf), started; then stanza-create for both tools.
bench_cluster() {
  local work=$1 port=$2 pgbackrest=$3 pgvault=$4
  as_pg "$bin/initdb" -k -D "$work/pg" -A trust -U postgres >/dev/null
  cat >> "$work/pg/postgresql.conf" <<CONF
listen_addresses = ''
port = $port
unix_socket_directories = '$work'
archive_mode = on
archive_command = '$pgbackrest --config=$work/pgbackrest.conf --stanza=bench archive-push %p && $pgvault --config=$work/pgvault.conf --stanza=bench archive-push %p'
wal_level = replica
max_wal_size = 4GB
CONF
  chown -R postgres "$work"
  as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
  as_pg "$pgbackrest" --config="$work/pgbackrest.conf" --stanza=bench stanza-create
  as_pg "$pgvault" --config="$work/pgvault.conf" --stanza=bench stanza-create
}
