#!/usr/bin/env bash
# A throwaway PostgreSQL server for the storage tests, on 127.0.0.1 and a free port, in its own
# directory: nothing of the machine's own clusters is touched, and `stop` leaves nothing behind.
#
#   scripts/postgres-for-tests.sh start [DIR]   initdb + start; prints the URL for DIALOGUE_TEST_POSTGRES_URL
#   scripts/postgres-for-tests.sh stop  [DIR]   stop the server and remove DIR
#   scripts/postgres-for-tests.sh url   [DIR]   print the URL of a running one
#
# DIR defaults to $DIALOGUE_POSTGRES_DIR or /tmp/dialogue-postgres-test. Needs Debian's `postgresql`
# package (apt-get install -y postgresql). As root, the server runs as the `postgres` user (initdb
# refuses root).
set -euo pipefail
command="${1:-}"
directory="${2:-${DIALOGUE_POSTGRES_DIR:-/tmp/dialogue-postgres-test}}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [[ -z "$bin" ]]; then
    echo "postgres-for-tests: no PostgreSQL in /usr/lib/postgresql (apt-get install -y postgresql)" >&2
    exit 1
fi

as_owner() {
    if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
    if [[ -f "$directory/url" ]] && as_owner "$bin/pg_ctl" -D "$directory/data" status >/dev/null 2>&1; then
        cat "$directory/url"
        exit 0
    fi
    rm -rf "$directory"
    mkdir -p "$directory"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$directory"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bin/initdb" -D "$directory/data" -U dialogue --auth=trust -E UTF8 --no-locale >"$directory/initdb.log"
    # fsync stays on: the tests check what a commit means, and the server's setting is the default.
    as_owner "$bin/pg_ctl" -D "$directory/data" -l "$directory/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $directory -c max_connections=200" start >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U dialogue dialogue_test
    echo "postgres://dialogue@127.0.0.1:$port/dialogue_test" | as_owner tee "$directory/url"
    ;;
stop)
    if [[ -d "$directory/data" ]]; then
        as_owner "$bin/pg_ctl" -D "$directory/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$directory"
    ;;
url)
    cat "$directory/url"
    ;;
*)
    echo "usage: $0 start|stop|url [DIR]" >&2
    exit 2
    ;;
esac
