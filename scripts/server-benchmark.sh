#!/usr/bin/env bash
# Benchmarks dialogued (the Server package, release build) against references measured in the same run,
# and writes one table:
#
#   1. Blob GET on loopback with wrk (keep-alive), 1 KiB and 1 MiB blobs, against nginx serving the
#      same files from the data directory (a config written here, on a free loopback port). Rounds are
#      interleaved: dialogued 1 KiB, nginx 1 KiB, dialogued 1 MiB, nginx 1 MiB.
#   2. Durable commits: the machine's own write+fsync rate on the data directory's file system
#      (dialogued-load fsync-rate), then notifications accepted per second (signed by a fake peer that
#      the peers file lists) and 1 KiB uploads and submissions per second (signed by a user), at
#      concurrency 1 and DIALOGUE_SERVER_BENCH_CONCURRENCY; p50 and p99 latency.
#   3. Peak RSS of dialogued (/proc/PID/status, VmHWM reset through clear_refs before each phase):
#      idle, 1,000 idle keep-alive connections, a 256 MiB message (256 x 1 MiB blobs) uploaded and
#      downloaded 4 at a time, and the largest blob (16 MiB) uploaded and read by a slow reader.
#
# `scripts/server-benchmark.sh scale` runs only the commit figures (notifications accepted and
# submissions per second, 1 and DIALOGUE_SERVER_BENCH_CONCURRENCY in flight), each on SQLite, on
# PostgreSQL with one process, and on PostgreSQL with two processes behind nginx
# (Server/deploy/nginx.conf, the README's "Deploying at scale"), rate limits off; with the machine's
# CPU busy and iowait shares, the CPU time of dialogued and of PostgreSQL, and PostgreSQL's commits,
# rollbacks (serialization conflicts the store retries) and WAL synchronizations. PostgreSQL is a
# throwaway server of scripts/postgres-for-tests.sh (fsync on). Results: $out/scale.md.
#
# Everything listens on 127.0.0.1 only and everything started here is stopped on exit. Results go to
# $DIALOGUE_SERVER_BENCH_OUT (default /tmp/dialogue-server-bench): results.md, and the raw wrk and
# load-generator output. Run it by hand (not part of scripts/test.sh); never two runs at once.
#
# Environment: DIALOGUE_SERVER_BENCH_ROUNDS (3) wrk rounds, DIALOGUE_SERVER_BENCH_SECONDS (8) per wrk
# run, DIALOGUE_SERVER_BENCH_CONNECTIONS (16) wrk connections, DIALOGUE_SERVER_BENCH_CONCURRENCY (32)
# requests in flight for the commit figures, DIALOGUE_SERVER_BENCH_COUNT (1500) requests per commit run,
# DIALOGUE_SERVER_BENCH_SKIP_BUILD=1 uses the release build as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${DIALOGUE_SERVER_BENCH_OUT:-/tmp/dialogue-server-bench}
rounds=${DIALOGUE_SERVER_BENCH_ROUNDS:-3}
seconds=${DIALOGUE_SERVER_BENCH_SECONDS:-8}
connections=${DIALOGUE_SERVER_BENCH_CONNECTIONS:-16}
concurrency=${DIALOGUE_SERVER_BENCH_CONCURRENCY:-32}
count=${DIALOGUE_SERVER_BENCH_COUNT:-1500}

log() { printf '\n== %s (%s)\n' "$*" "$(date +%H:%M:%S)" >&2; }

# --- dependencies and build ----------------------------------------------------------------------
scripts/install-missing.sh wrk nginx:/usr/sbin/nginx curl
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

mkdir -p "$out"
rm -f "$out"/*.txt "$out"/results.md
if [[ "${DIALOGUE_SERVER_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "release build of dialogued and dialogued-load"
    swift build --package-path Server -c release --product dialogued >"$out/build.txt" 2>&1 &&
        swift build --package-path Server -c release --product dialogued-load >>"$out/build.txt" 2>&1 || {
        tail -40 "$out/build.txt" >&2
        exit 1
    }
fi
bin=$(swift build --package-path Server -c release --show-bin-path)
dialogued="$bin/dialogued"
load="$bin/dialogued-load"

work=$(mktemp -d /tmp/dialogue-server-bench-work.XXXXXX)
started_pids=()
nginx_pid=""
postgres_dir=""
cleanup() {
    # Only what this script started, by process id.
    if [[ -n "$nginx_pid" ]]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; fi
    for pid in "${started_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # A process that has not stopped 15 s after SIGTERM is killed (a hung server must not hang the run).
    for _ in $(seq 1 150); do
        local alive=0
        for pid in "${started_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive == 0)) && break
        sleep 0.1
    done
    for pid in "${started_pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            echo "server-benchmark.sh: process $pid did not stop on SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${started_pids[@]}" $nginx_pid; do wait "$pid" 2>/dev/null || true; done
    if [[ -n "$postgres_dir" ]]; then "$root/scripts/postgres-for-tests.sh" stop "$postgres_dir" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # URL: waits up to 60 s for a 200
    for _ in $(seq 1 600); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server-benchmark.sh: $1 never answered" >&2
    return 1
}
field() { # LINE KEY: the value of KEY=value in a load-generator line
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'; }

# --- several processes on one PostgreSQL (`scale`) ----------------------------------------------
if [[ "${1:-}" == scale ]]; then
    command -v psql >/dev/null 2>&1 || {
        echo "server-benchmark.sh scale: needs PostgreSQL (apt-get install -y postgresql)" >&2
        exit 1
    }
    # Outside the work directory, which only its owner may enter: the server runs as the postgres user.
    postgres_dir=$(mktemp -u /tmp/dialogue-server-bench-postgres.XXXXXX)
    pg_url=$(scripts/postgres-for-tests.sh start "$postgres_dir")
    sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$pg_url" -c "$1"; }
    peer_port=$("$load" free-port)
    state="$work/state"
    "$load" setup --state "$state" --user alice@bench.example --peer-domain peer.example \
        --peer-base-url "http://127.0.0.1:$peer_port/dialogue/v1" >/dev/null
    "$load" peer --state "$state" --port "$peer_port" 2>"$work/peer.log" &
    started_pids+=($!)
    wait_for "http://127.0.0.1:$peer_port/dialogue/v1/server"
    # Capacity, not policy: the rate limits are off.
    export DIALOGUED_PEERS="$state/peers" DIALOGUED_PEER_RATE_LIMIT=0 DIALOGUED_USER_RATE_LIMIT=0
    config_pids=()
    start_config() { # NAME DATABASE_URL (empty: SQLite) PROCESSES: sets base
        local name=$1 database=$2 processes=$3 front data port
        front=$("$load" free-port)
        data="$work/$name"
        "$dialogued" init --data "$data" --domain bench.example --base-url "http://127.0.0.1:$front/dialogue/v1" \
            --listen "127.0.0.1:$front" >/dev/null
        local ports=("$front")
        if ((processes > 1)); then
            ports=()
            for _ in $(seq 1 "$processes"); do ports+=("$("$load" free-port)"); done
        fi
        local environment=()
        [[ -n "$database" ]] && environment=(DIALOGUED_DATABASE_URL="$database")
        env "${environment[@]}" "$dialogued" user add alice@bench.example --card "$state/user.card" --data "$data" >/dev/null
        # Every process on the one data directory: one settings file, one server key, one blob directory.
        for port in "${ports[@]}"; do
            env "${environment[@]}" DIALOGUED_LISTEN="127.0.0.1:$port" "$dialogued" serve --data "$data" \
                2>>"$work/$name.log" &
            started_pids+=($!)
            config_pids+=($!)
        done
        for port in "${ports[@]}"; do wait_for "http://127.0.0.1:$port/health"; done
        if ((processes > 1)); then
            mkdir -p "$work/$name-nginx"
            sed -e "s/127\.0\.0\.1:8080/127.0.0.1:$front/" -e "s/127\.0\.0\.1:8081/127.0.0.1:${ports[0]}/" \
                -e "s/127\.0\.0\.1:8082/127.0.0.1:${ports[1]}/" Server/deploy/nginx.conf >"$work/$name-nginx/nginx.conf"
            "$nginx_bin" -p "$work/$name-nginx" -c "$work/$name-nginx/nginx.conf" -e "$work/$name-nginx/error.log" \
                -g 'daemon off;' &
            nginx_pid=$!
            wait_for "http://127.0.0.1:$front/health"
        fi
        base="http://127.0.0.1:$front/dialogue/v1"
    }
    stop_config() {
        for pid in "${config_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
        for pid in "${config_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
        config_pids=()
        if [[ -n "$nginx_pid" ]]; then
            kill -QUIT "$nginx_pid" 2>/dev/null || true
            wait "$nginx_pid" 2>/dev/null || true
            nginx_pid=""
        fi
    }
    ticks() { # PIDS: their CPU time so far, in clock ticks
        local total=0 pid
        for pid in "$@"; do
            [[ -r /proc/$pid/stat ]] && total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
        done
        echo "$total"
    }
    machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5, $6 }' /proc/stat; } # busy idle iowait
    pg_counters() { # commits rollbacks wal-syncs (PostgreSQL flushes a backend's counts when it idles)
        sql "SELECT (SELECT sum(xact_commit) FROM pg_stat_database), (SELECT sum(xact_rollback) FROM pg_stat_database),
                    (SELECT wal_sync FROM pg_stat_wal)" | tr '|' ' '
    }
    measure() { # CONFIG, then a dialogued-load command: its lines, with the resources it used appended
        local config=$1 before_machine before_dialogued before_postgres before_pg lines
        shift
        before_machine=$(machine)
        before_dialogued=$(ticks "${config_pids[@]}")
        before_postgres=$(ticks $(pgrep -u postgres postgres || true))
        before_pg=$(pg_counters)
        lines=$("$load" "$@")
        local after_machine after_dialogued after_postgres
        after_machine=$(machine)
        after_dialogued=$(ticks "${config_pids[@]}")
        after_postgres=$(ticks $(pgrep -u postgres postgres || true))
        sleep 11 # the idle backends' statistics reach pg_stat_database
        local resources
        resources=$(awk -v b="$before_machine" -v a="$after_machine" -v hz="$(getconf CLK_TCK)" \
            -v d=$((after_dialogued - before_dialogued)) -v p=$((after_postgres - before_postgres)) \
            -v pb="$before_pg" -v pa="$(pg_counters)" 'BEGIN {
                split(b, x, " "); split(a, y, " "); split(pb, q, " "); split(pa, r, " ")
                busy = y[1] - x[1]; idle = y[2] - x[2]; wait = y[3] - x[3]; all = busy + idle + wait
                printf "cpu_busy=%.0f%% iowait=%.0f%% dialogued_cpu_s=%.1f postgres_cpu_s=%.1f commits=%d rollbacks=%d wal_syncs=%d",
                    100 * busy / all, 100 * wait / all, d / hz, p / hz, r[1] - q[1], r[2] - q[2], r[3] - q[3] }')
        while read -r line; do echo "$config-$line $resources"; done <<<"$lines"
    }
    for database in one two; do sql "CREATE DATABASE bench_$database"; done
    : >"$out/scale.txt"
    for config in sqlite postgres-1 postgres-2; do
        case $config in
        sqlite) start_config sqlite "" 1 ;;
        postgres-1) start_config postgres-1 "${pg_url%/*}/bench_one" 1 ;;
        postgres-2) start_config postgres-2 "${pg_url%/*}/bench_two" 2 ;;
        esac
        for c in 1 "$concurrency"; do
            n=$count
            ((c == 1)) && n=$((count / 5))
            log "$config: notifications, concurrency $c"
            measure "$config" notify --state "$state" --server "$base" --count "$n" --concurrency "$c" \
                --name "notifications-c$c" | tee -a "$out/scale.txt" >&2
            log "$config: 1 KiB uploads and submissions, concurrency $c"
            measure "$config" submit --state "$state" --server "$base" --count "$n" --concurrency "$c" |
                sed "s/^\($config-[a-z]*\) /\1-c$c /" | tee -a "$out/scale.txt" >&2
        done
        stop_config
    done
    {
        echo "# dialogued on SQLite, on PostgreSQL, and two processes on one PostgreSQL ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD))"
        echo
        echo "$(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(psql --version); rate limits off."
        echo
        echo "| run | rate | p50 / p99 | CPU busy / iowait | dialogued / PostgreSQL CPU | commits / rollbacks / WAL syncs |"
        echo "|---|---|---|---|---|---|"
        while read -r line; do
            echo "| ${line%% *} | $(field "$line" rate)/s | $(field "$line" p50_ms) / $(field "$line" p99_ms) ms | $(field "$line" cpu_busy) / $(field "$line" iowait) | $(field "$line" dialogued_cpu_s) s / $(field "$line" postgres_cpu_s) s | $(field "$line" commits) / $(field "$line" rollbacks) / $(field "$line" wal_syncs) |"
        done <"$out/scale.txt"
    } >"$out/scale.md"
    cat "$out/scale.md"
    exit 0
fi

# --- the server, its user, the fake peer ---------------------------------------------------------
log "setting up dialogued, a user and a fake peer on loopback"
uptime >&2
server_port=$("$load" free-port)
peer_port=$("$load" free-port)
nginx_port=$("$load" free-port)
base="http://127.0.0.1:$server_port/dialogue/v1"
state="$work/state"
data="$work/data"
"$load" setup --state "$state" --user alice@bench.example --peer-domain peer.example \
    --peer-base-url "http://127.0.0.1:$peer_port/dialogue/v1" >/dev/null
"$dialogued" init --data "$data" --domain bench.example --base-url "$base" --listen "127.0.0.1:$server_port" >/dev/null
"$dialogued" user add alice@bench.example --card "$state/user.card" --data "$data" >/dev/null
"$load" peer --state "$state" --port "$peer_port" 2>"$work/peer.log" &
started_pids+=($!)
# The default settings (log level info, one line per request, to a file as a service manager would), but
# capacity, not policy: the rate limits are off (at their defaults, 429s cut the commit runs short).
DIALOGUED_PEERS="$state/peers" DIALOGUED_PEER_RATE_LIMIT=0 DIALOGUED_USER_RATE_LIMIT=0 \
    "$dialogued" serve --data "$data" 2>"$work/dialogued.log" &
server_pid=$!
started_pids+=($server_pid)
wait_for "http://127.0.0.1:$server_port/health"
wait_for "http://127.0.0.1:$peer_port/dialogue/v1/server"

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status"; }   # KiB
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status"; }   # KiB
reset_hwm() { echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || echo "server-benchmark.sh: cannot reset VmHWM" >&2; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# --- 1. blob GET against nginx -------------------------------------------------------------------
log "publishing a 1 KiB and a 1 MiB blob"
"$load" publish --state "$state" --server "$base" --size 1024 --size 1048576 >"$out/publish.txt"
id_1k=$(awk '$2 == "size=1024" { sub("id=", "", $3); print $3 }' "$out/publish.txt")
id_1m=$(awk '$2 == "size=1048576" { sub("id=", "", $3); print $3 }' "$out/publish.txt")
file_1k=$(cd "$data" && find blobs -name "$id_1k")
file_1m=$(cd "$data" && find blobs -name "$id_1m")
[[ -n "$file_1k" && -n "$file_1m" ]] || {
    echo "server-benchmark.sh: the published blobs have no files" >&2
    exit 1
}

mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<EOF
# Written by scripts/server-benchmark.sh: nginx serving dialogued's blob files from its data directory.
user root;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    default_type application/octet-stream;
    access_log $work/nginx/logs/access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000000;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $data;
        location /blobs/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
    }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/logs/stderr.log" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/$file_1k"
cmp <(curl -fsS "$base/blobs/$id_1m") <(curl -fsS "http://127.0.0.1:$nginx_port/$file_1m") || {
    echo "server-benchmark.sh: dialogued and nginx serve different bytes" >&2
    exit 1
}

wrk_run() { # LABEL URL: one wrk run; appends "LABEL req/s" to wrk.tsv
    local label=$1 url=$2 output
    output=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url")
    printf '### %s %s\n%s\n\n' "$label" "$url" "$output" >>"$out/wrk.txt"
    if grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$output"; then
        echo "server-benchmark.sh: $label had errors:" >&2
        echo "$output" >&2
        exit 1
    fi
    printf '%s\t%s\t%s\n' "$label" "$(awk '/^Requests\/sec/ { print $2 }' <<<"$output")" \
        "$(awk '$1 == "99%" { print $2 }' <<<"$output")" >>"$work/wrk.tsv"
}
: >"$work/wrk.tsv"
for round in $(seq 1 "$rounds"); do
    log "blob GET: round $round of $rounds"
    uptime >&2
    wrk_run dialogued-health "http://127.0.0.1:$server_port/health"
    wrk_run dialogued-1k "$base/blobs/$id_1k"
    wrk_run nginx-1k "http://127.0.0.1:$nginx_port/$file_1k"
    wrk_run dialogued-1m "$base/blobs/$id_1m"
    wrk_run nginx-1m "http://127.0.0.1:$nginx_port/$file_1m"
done
cp "$work/wrk.tsv" "$out/wrk.tsv"
wrk_median() { awk -v l="$1" '$1 == l { print $2 }' "$work/wrk.tsv" | median; }
wrk_p99() { awk -v l="$1" '$1 == l { print $3 }' "$work/wrk.tsv" | tr '\n' ' '; }
kill -QUIT "$nginx_pid" 2>/dev/null || true
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=""

# --- 2. durable commits --------------------------------------------------------------------------
fsync_rate() { # measured before and after the commit runs, which the disk's other users make vary
    log "fsync rate of the data directory's file system ($1)"
    "$load" fsync-rate --directory "$data" --seconds 4 | sed "s/^fsync /fsync-$1 /" | tee -a "$out/fsync.txt" >&2
}
: >"$out/fsync.txt"
fsync_rate before

: >"$out/commits.txt"
for c in 1 "$concurrency"; do
    n=$count
    ((c == 1)) && n=$((count / 5))
    log "notifications, concurrency $c"
    "$load" notify --state "$state" --server "$base" --count "$n" --concurrency "$c" --name "notifications-c$c" |
        tee -a "$out/commits.txt" >&2
    log "1 KiB uploads and submissions, concurrency $c"
    "$load" submit --state "$state" --server "$base" --count "$n" --concurrency "$c" |
        sed "s/^\([a-z]*\) /\1-c$c /" | tee -a "$out/commits.txt" >&2
done
fsync_rate after
commit_line() { grep "^$1 " "$out/commits.txt"; }
fsync_mean() { # MODE: the mean rate of the two measurements
    grep "mode=$1" "$out/fsync.txt" | sed -n 's/.* rate=\([^ ]*\).*/\1/p' | awk '{ s += $1 } END { printf "%.0f", s / NR }'
}

# --- 3. memory -----------------------------------------------------------------------------------
log "memory: idle"
sleep 2
rss_idle=$(rss)
log "memory: 1,000 idle keep-alive connections"
touch "$work/idle.hold"
reset_hwm
"$load" idle --port "$server_port" --connections 1000 --ready-file "$work/idle.ready" \
    --release-file "$work/idle.hold" >"$out/idle.txt" &
idle_pid=$!
started_pids+=($idle_pid)
for _ in $(seq 1 600); do [[ -e "$work/idle.ready" ]] && break; sleep 0.1; done
sleep 2
rss_idle_connections=$(rss)
rm -f "$work/idle.hold"
wait "$idle_pid"
cat "$out/idle.txt" >&2
hwm_idle_connections=$(hwm)

transfer_peak() { # LABEL, then transfer arguments: peak RSS (KiB) of dialogued during the transfer
    local label=$1
    shift
    sleep 1
    reset_hwm
    "$load" transfer "$@" --state "$state" --server "$base" | tee -a "$out/transfer.txt" >&2
    printf '%s\t%s\n' "$label" "$(hwm)" >>"$out/memory.tsv"
}
: >"$out/transfer.txt"
: >"$out/memory.tsv"
log "memory: a 256 MiB message up and down (256 x 1 MiB, 4 at a time)"
transfer_peak upload-256x1m upload --size 1048576 --count 256 --concurrency 4 --ids "$work/ids-256" --seed 11
transfer_peak download-256x1m download --concurrency 4 --ids "$work/ids-256"
log "memory: the largest blob (16 MiB) up, and down to a slow reader"
transfer_peak upload-16m upload --size 16777216 --count 1 --concurrency 1 --ids "$work/ids-16m" --seed 12
transfer_peak download-16m-slow download --concurrency 1 --ids "$work/ids-16m" --pause-ms 1
cat "$work/ids-16m" "$work/ids-16m" "$work/ids-16m" "$work/ids-16m" >"$work/ids-16m-x4"
transfer_peak download-16m-x4 download --concurrency 4 --ids "$work/ids-16m-x4"
memory_peak() { awk -v l="$1" '$1 == l { print $2 }' "$out/memory.tsv"; }

# --- results -------------------------------------------------------------------------------------
log "results"
d1k=$(wrk_median dialogued-1k)
n1k=$(wrk_median nginx-1k)
d1m=$(wrk_median dialogued-1m)
n1m=$(wrk_median nginx-1m)
mib() { awk -v r="$1" 'BEGIN { printf "%.0f", r }'; } # 1 MiB bodies: req/s = MiB/s
verdict() { # PERCENT: against the 50% target, 80% aim
    if (($1 >= 80)); then echo "met (aim met)"; elif (($1 >= 50)); then echo "met"; else echo "MISSED"; fi
}
p1k=$(percent "$d1k" "$n1k")
p1m=$(percent "$d1m" "$n1m")
fsync_rate=$(fsync_mean append-fsync)
fdatasync_rate=$(fsync_mean overwrite-fdatasync)
commit_row() { # NAME LABEL SYNCS: a request's synchronizations (SQLite commits: the nonce and the record;
    # an upload also synchronizes its file and its directory)
    local line rate
    line=$(commit_line "$1")
    rate=$(field "$line" rate)
    printf '| %s | %s/s (p50 %s ms, p99 %s ms; %s requests) | fdatasync %s/s: %s%% of it; one at a time, %s synchronizations per request allow at most %s/s | (info) | – |\n' \
        "$2" "$rate" "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" count)" \
        "$fdatasync_rate" "$(percent "$rate" "$fdatasync_rate")" "$3" "$(awk -v r="$fdatasync_rate" -v c="$3" 'BEGIN { printf "%.0f", r / c }')"
}
{
    echo "# dialogued benchmark ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', modified'))"
    echo
    echo "$(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). wrk -t2 -c$connections, ${seconds} s per run, median of $rounds interleaved rounds; $(nginx -v 2>&1 | sed 's/nginx version: //'), worker_processes auto, sendfile on, access log on; dialogued at its default log level (info: one line per request)."
    echo
    echo "| figure | dialogued | reference (same run) | target | verdict |"
    echo "|---|---|---|---|---|"
    echo "| blob GET 1 KiB, keep-alive | $(mib "$d1k") req/s (p99 per round: $(wrk_p99 dialogued-1k)) | nginx $(mib "$n1k") req/s (p99: $(wrk_p99 nginx-1k)); dialogued = $p1k% | ≥ 50% of nginx (aim 80%) | $(verdict "$p1k") |"
    echo "| blob GET 1 MiB, keep-alive | $(mib "$d1m") MiB/s (p99 per round: $(wrk_p99 dialogued-1m)) | nginx $(mib "$n1m") MiB/s (p99: $(wrk_p99 nginx-1m)); dialogued = $p1m% | ≥ 50% of nginx (aim 80%) | $(verdict "$p1m") |"
    echo "|   diagnostic: GET /health (no blob: the framework, logging and metrics) | $(mib "$(wrk_median dialogued-health)") req/s | nginx 1 KiB $(mib "$n1k") req/s | (info) | – |"
    echo "| write 4 KiB + fdatasync, one thread, overwriting (what a WAL commit does) | $fdatasync_rate/s (mean of before and after; $(grep -c . "$out/fsync.txt") runs in fsync.txt) | write 4 KiB + fsync, appending: $fsync_rate/s | (reference) | – |"
    commit_row notifications-c1 "notifications accepted, 1 in flight" 2
    commit_row "notifications-c$concurrency" "notifications accepted, $concurrency in flight" 2
    commit_row uploads-c1 "1 KiB uploads, 1 in flight" 4
    commit_row "uploads-c$concurrency" "1 KiB uploads, $concurrency in flight" 4
    commit_row submissions-c1 "1 KiB submissions, 1 in flight" 2
    commit_row "submissions-c$concurrency" "1 KiB submissions, $concurrency in flight" 2
    echo "| RSS idle | $(kib_to_mib "$rss_idle") MiB | – | – | – |"
    echo "| RSS, 1,000 idle keep-alive connections | $(kib_to_mib "$rss_idle_connections") MiB ($(awk -v a="$rss_idle_connections" -v b="$rss_idle" 'BEGIN { printf "%.1f", (a - b) / 1000 }') KiB per connection; peak $(kib_to_mib "$hwm_idle_connections") MiB; $(cat "$out/idle.txt")) | idle $(kib_to_mib "$rss_idle") MiB | (info) | – |"
    for label in upload-256x1m download-256x1m upload-16m download-16m-slow download-16m-x4; do
        echo "| peak RSS, $label | $(kib_to_mib "$(memory_peak "$label")") MiB | idle $(kib_to_mib "$rss_idle") MiB | constant in the body size | see 16 MiB vs 1 MiB rows |"
    done
    echo
    echo "Raw output: wrk.txt, commits.txt, fsync.txt, transfer.txt, idle.txt in $out."
} >"$out/results.md"
cp "$work/dialogued.log" "$out/dialogued-log-tail.txt" 2>/dev/null && tail -n 200 "$out/dialogued-log-tail.txt" >"$out/dialogued-log-tail.tmp" && mv "$out/dialogued-log-tail.tmp" "$out/dialogued-log-tail.txt"
cat "$out/results.md"
