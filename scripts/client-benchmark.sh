#!/usr/bin/env bash
# The client benchmark (issue 12), side by side in one run, on release builds, on loopback:
#
#   a. 1 KiB messages delivered end to end (submit -> notify -> fetch -> acknowledge), one at a time,
#      through the DialogueClient library (`dialogue mail-benchmark`) between two dialogued processes:
#      messages a second, p50 and p99 latency.
#   b. A 256 MiB attachment fetched by `dialogue read` from the sender's server (every chunk verified
#      against its identifier, decrypted, kept in the client store and written out), against `curl`
#      fetching a file of the same size from nginx on loopback (sendfile, no verification): throughput
#      of each and the ratio (aim: at least 50% of curl).
#   c. The client's peak RSS during that fetch (/usr/bin/time -v), next to curl's.
#
# Rounds of (b) are interleaved (dialogue, curl, dialogue, curl, ...), each dialogue round on a fresh
# device (a new account home importing the same identity: nothing cached), each output deleted and
# dirty pages flushed (untimed) before the next. Results: standard output and $out/results.md.
#
#   DIALOGUE_CLIENT_BENCH_OUT      where results and logs go (/tmp/dialogue-client-bench)
#   DIALOGUE_CLIENT_BENCH_COUNT    messages measured in (a) (300), after 20 not measured
#   DIALOGUE_CLIENT_BENCH_ROUNDS   rounds of (b) (3)
#   DIALOGUE_CLIENT_BENCH_MIB      the attachment's size in MiB (256)
#   DIALOGUE_CLIENT_BENCH_SKIP_BUILD=1 uses the release builds that are there
#   DIALOGUE_CLIENT_BENCH_DIALOGUED    a release dialogued to use instead of building Server's (another
#                                      checkout's build of the same server sources)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${DIALOGUE_CLIENT_BENCH_OUT:-/tmp/dialogue-client-bench}
count=${DIALOGUE_CLIENT_BENCH_COUNT:-300}
rounds=${DIALOGUE_CLIENT_BENCH_ROUNDS:-3}
mib=${DIALOGUE_CLIENT_BENCH_MIB:-256}

log() { printf '\n== %s (%s)\n' "$*" "$(date +%H:%M:%S)" >&2; }

# --- dependencies and build ----------------------------------------------------------------------
scripts/install-missing.sh nginx:/usr/sbin/nginx curl time:/usr/bin/time
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

mkdir -p "$out"
rm -f "$out"/*.txt "$out"/results.md
if [[ "${DIALOGUE_CLIENT_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "release builds of dialogue and dialogued (several minutes the first time)"
    { swift build -c release --product dialogue &&
        if [[ -z "${DIALOGUE_CLIENT_BENCH_DIALOGUED:-}" ]]; then
            swift build --package-path Server -c release --product dialogued
        fi; } >"$out/build.txt" 2>&1 || {
        tail -40 "$out/build.txt" >&2
        exit 1
    }
fi
dialogue="$(swift build -c release --show-bin-path)/dialogue"
dialogued=${DIALOGUE_CLIENT_BENCH_DIALOGUED:-"$(swift build --package-path Server -c release --show-bin-path)/dialogued"}

work=$(mktemp -d /tmp/dialogue-client-bench-work.XXXXXX)
started_pids=()
nginx_pid=""
cleanup() {
    # Only what this script started, by process id.
    if [[ -n "$nginx_pid" ]]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; fi
    for pid in "${started_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${started_pids[@]}" $nginx_pid; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # URL: waits up to 60 s for a 200
    for _ in $(seq 1 600); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "client-benchmark.sh: $1 never answered" >&2
    return 1
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
field() { sed -n "s/.*$2 \([^ ]*\).*/\1/p" <<<"$1"; } # LINE KEY: the value after KEY
peak_kib() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

# --- two servers, two accounts -------------------------------------------------------------------
log "two dialogued processes (a.test, b.test) and two accounts on loopback"
uptime >&2
unset DIALOGUE_PASSPHRASE # unsealed identity files: no Argon2id in the timings
declare -A port
for domain in a.test b.test; do
    port[$domain]=$(free_port)
    "$dialogued" init --data "$work/$domain" --domain "$domain" \
        --base-url "http://127.0.0.1:${port[$domain]}/dialogue/v1" --listen "127.0.0.1:${port[$domain]}" |
        grep "peers-file line" | sed 's/^ *peers-file line *//' >>"$work/peers.txt"
done
for domain in a.test b.test; do
    # The benchmark is one user sending as fast as it can: the per-user and per-peer limits are off.
    DIALOGUED_PEERS="$work/peers.txt" DIALOGUED_USER_RATE_LIMIT=0 DIALOGUED_PEER_RATE_LIMIT=0 \
        "$dialogued" serve --data "$work/$domain" 2>"$work/$domain.log" &
    started_pids+=($!)
done
for domain in a.test b.test; do wait_for "http://127.0.0.1:${port[$domain]}/dialogue/v1/server"; done
account() { # USER HOME [import FILE]
    local domain=${1#*@}
    if [[ $# -gt 2 ]]; then
        "$dialogue" account import "$1" --server "http://127.0.0.1:${port[$domain]}/dialogue/v1" --identity "$4" \
            --peers "$work/peers.txt" --auto-ack off --home "$2" >/dev/null
    else
        "$dialogue" account add "$1" --server "http://127.0.0.1:${port[$domain]}/dialogue/v1" \
            --peers "$work/peers.txt" --auto-ack off --home "$2" >/dev/null
        "$dialogued" user add "$1" --card "$2/identity.card" --data "$work/$domain" >/dev/null
    fi
}
account alice@a.test "$work/alice"
account bob@b.test "$work/bob"
account carol@b.test "$work/carol" # the recipient of (b): an inbox with that one message

# --- a. 1 KiB messages end to end ----------------------------------------------------------------
log "a. $count 1 KiB messages, alice@a.test -> bob@b.test, submit -> notify -> fetch -> acknowledge"
delivery=$("$dialogue" mail-benchmark --sender "$work/alice" --recipient "$work/bob" --count "$count" --warmup 20 \
    --size 1024)
echo "$delivery" | tee "$out/delivery.txt" >&2

# --- b. and c. 256 MiB: dialogue read against curl from nginx -------------------------------------
log "b. a $mib MiB attachment: alice sends it to carol@b.test, read on a fresh device each round"
bytes=$((mib << 20))
head -c "$bytes" /dev/urandom >"$work/attachment.bin"
"$dialogue" send --home "$work/alice" --to carol@b.test --subject "big" --text "the attachment" \
    --attach "$work/attachment.bin" >"$out/send.txt"

mkdir -p "$work/nginx/logs" "$work/www"
cp "$work/attachment.bin" "$work/www/attachment.bin"
nginx_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<EOF
# Written by scripts/client-benchmark.sh: nginx serving one file from a temporary directory.
user root;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    default_type application/octet-stream;
    access_log $work/nginx/logs/access.log;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/www;
    }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/logs/stderr.log" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/attachment.bin"

: >"$out/fetch.txt"
for round in $(seq 1 "$rounds"); do
    device="$work/carol-device-$round"
    account carol@b.test "$device" import "$work/carol/identity"
    "$dialogue" sync --home "$device" >/dev/null # the envelope: untimed
    sync
    start=$(now)
    /usr/bin/time -v -o "$work/time-dialogue.txt" "$dialogue" read 1 --part 2 --out "$device/saved" --home "$device" \
        >"$work/read.txt"
    seconds=$(elapsed "$start" "$(now)")
    cmp -s "$work/attachment.bin" "$device/saved/attachment.bin" || {
        echo "client-benchmark.sh: dialogue read saved other bytes" >&2
        exit 1
    }
    echo "dialogue $round $seconds $(peak_kib "$work/time-dialogue.txt")" >>"$out/fetch.txt"
    rm -rf "$device"
    sync

    start=$(now)
    /usr/bin/time -v -o "$work/time-curl.txt" curl -fsS -o "$work/curl.bin" "http://127.0.0.1:$nginx_port/attachment.bin"
    seconds=$(elapsed "$start" "$(now)")
    cmp -s "$work/attachment.bin" "$work/curl.bin" || {
        echo "client-benchmark.sh: curl saved other bytes" >&2
        exit 1
    }
    echo "curl $round $seconds $(peak_kib "$work/time-curl.txt")" >>"$out/fetch.txt"
    rm -f "$work/curl.bin"
    sync
done
cat "$out/fetch.txt" >&2

# --- results -------------------------------------------------------------------------------------
d_seconds=$(awk '$1 == "dialogue" { print $3 }' "$out/fetch.txt" | median)
c_seconds=$(awk '$1 == "curl" { print $3 }' "$out/fetch.txt" | median)
d_rss=$(awk '$1 == "dialogue" { print $4 }' "$out/fetch.txt" | sort -g | tail -1)
c_rss=$(awk '$1 == "curl" { print $4 }' "$out/fetch.txt" | sort -g | tail -1)
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1048576 }'; }
d_rate=$(rate "$d_seconds")
c_rate=$(rate "$c_seconds")
ratio=$(awk -v d="$d_seconds" -v c="$c_seconds" 'BEGIN { printf "%.0f", 100 * c / d }')
{
    echo "## Client benchmark ($(date -u +%Y-%m-%d), release builds, loopback)"
    echo
    echo "$(nproc) cores, shared; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "$(nginx -v 2>&1 | sed 's/nginx version: //'), $(curl --version | head -1 | cut -d' ' -f1-2)."
    echo
    echo "| measurement | Dialogue | reference | verdict |"
    echo "|---|---|---|---|"
    echo "| a. 1 KiB messages end to end, one at a time (submit, notify, fetch, acknowledge; $count measured) |" \
        "$(field "$delivery" per_second) messages/s, p50 $(field "$delivery" p50_ms) ms, p99 $(field "$delivery" p99_ms) ms |" \
        "(no reference: two dialogued on SQLite, the library in one process) | – |"
    echo "| b. $mib MiB attachment fetched (median of $rounds rounds) | dialogue read: $d_rate MiB/s ($d_seconds s; verified, decrypted, kept and written) |" \
        "curl from nginx: $c_rate MiB/s ($c_seconds s) | dialogue = $ratio% of curl (aim ≥ 50%): $([[ $ratio -ge 50 ]] && echo met || echo "not met") |"
    echo "| c. peak RSS during that fetch | dialogue read: $((d_rss / 1024)) MiB | curl: $((c_rss / 1024)) MiB | – |"
} | tee "$out/results.md"
