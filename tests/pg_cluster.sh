#!/usr/bin/env bash
# A private PostgreSQL 15 + PostGIS cluster for tests and benchmarks: initdb
# in a fresh temporary folder, listening only on a Unix socket in that folder
# (no TCP port, so it can never meet a system-wide server or another run),
# stopped and removed at the end. Never touches the system's clusters.
#
#   tests/pg_cluster.sh start STATE   start one; writes STATE (a shell file:
#                                     CCN_PG_DIR, CCN_PG_SOCKET, CCN_PG_PORT,
#                                     CCN_PG_URI = superuser URI of database ccn)
#   tests/pg_cluster.sh stop STATE    stop it and remove its folder and STATE
#   tests/pg_cluster.sh psql STATE ARGS...   psql as the superuser
#
# PostgreSQL refuses to run as root: as root the server runs as the
# `postgres` user Debian's package creates; clients still connect as the
# cluster's superuser `ccn` (trust authentication on the socket only).
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
cmd=${1:?usage: pg_cluster.sh start|stop|psql STATE}
state=${2:?usage: pg_cluster.sh start|stop|psql STATE}

as_owner() {
    # from /: the caller's folder (a checkout under /root) may be closed to postgres
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$cmd" in
start)
    [ -x "$bin/initdb" ] || { echo "pg_cluster: $bin/initdb missing (Debian package postgresql-15)" >&2; exit 1; }
    if [ -f "$state" ]; then "$0" stop "$state" || true; fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/ccn-pg.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=5432  # only names the socket file inside $dir
    as_owner "$bin/initdb" -D "$dir/data" -U ccn -A trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c max_connections=100" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h "$dir" -p "$port" -U ccn ccn
    "$bin/psql" -X -q -h "$dir" -p "$port" -U ccn -d ccn \
        -c "CREATE EXTENSION postgis; CREATE EXTENSION btree_gist" >/dev/null
    {
        echo "CCN_PG_DIR='$dir'"
        echo "CCN_PG_SOCKET='$dir'"
        echo "CCN_PG_PORT=$port"
        echo "CCN_PG_URI='postgresql://ccn@/ccn?host=$dir&port=$port'"
    } >"$state"
    ;;
stop)
    [ -f "$state" ] || exit 0
    # shellcheck disable=SC1090
    . "$state"
    as_owner "$bin/pg_ctl" -D "$CCN_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$CCN_PG_DIR" "$state"
    ;;
psql)
    # shellcheck disable=SC1090
    . "$state"
    shift 2
    exec "$bin/psql" -X -q -h "$CCN_PG_SOCKET" -p "$CCN_PG_PORT" -U ccn -d ccn "$@"
    ;;
*)
    echo "pg_cluster: unknown command $cmd" >&2; exit 2 ;;
esac
