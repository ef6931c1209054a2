#!/usr/bin/env bash
# Runs every test of the repository: installs what is missing, builds, runs the
# Swift test suite, then the conformance checks: the published vectors must
# regenerate byte for byte, every requirement must have a vector or a test, and
# the Swift library must pass every vector through the adapter protocol. Last,
# the server package (Server/, dialogued) builds and runs its own tests, and every fuzz target
# runs briefly.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build

dialogue="$(swift build --show-bin-path)/dialogue"
scratch="$(mktemp -d)"
postgres_here=""
cleanup() {
    if [ -n "$postgres_here" ]; then scripts/postgres-for-tests.sh stop "$postgres_here"; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# The vectors are generated deterministically from fixed seeds: any difference fails.
"$dialogue" vectors generate --output "$scratch/vectors" >/dev/null
diff -r --exclude=external TestVectors "$scratch/vectors"

# Every requirement anchor of Spec/ has a vector or a test.
"$dialogue" vectors trace --output "$scratch/traceability.md"
diff Spec/traceability.md "$scratch/traceability.md" || {
    echo "Spec/traceability.md is stale: run 'swift run dialogue vectors trace'" >&2
    exit 1
}

# The Swift library through the adapter protocol, as a separate process.
"$dialogue" conformance --adapter "$dialogue adapter" --junit "$scratch/swift-adapter.xml"

# ---- The independent Python adapter (adapters/python/, written from the spec) ----
if [ -f adapters/python/adapter.py ]; then
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -r adapters/python/requirements.txt
    "$dialogue" conformance --adapter "python3 adapters/python/adapter.py"
    # The adapter's own tests (primitives, messages, every vector through its driver).
    python3 -m pytest -q adapters/python/tests
fi

# ---- A library user's package, from outside: the README's example builds only the message library ----
scripts/library-user.sh

# ---- The server package (Server/: dialogued, its stores and its HTTP application) ----
# A separate package, so that the library never builds the server stack; its first build
# takes several minutes (SwiftNIO, BoringSSL for async-http-client, Hummingbird).
swift build --package-path Server --build-tests
# The storage tests run on PostgreSQL too. CI (.ci/run) starts a server and sets DIALOGUE_TEST_POSTGRES_URL
# and DIALOGUE_REQUIRE_POSTGRES=1; a developer's run starts a throwaway one here when PostgreSQL is
# installed (apt-get install -y postgresql), and otherwise the postgres cases are skipped, saying so.
if [ -z "${DIALOGUE_TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    postgres_here="/tmp/dialogue-postgres-$$"
    DIALOGUE_TEST_POSTGRES_URL="$(scripts/postgres-for-tests.sh start "$postgres_here")"
    export DIALOGUE_TEST_POSTGRES_URL
fi
swift test --package-path Server --skip-build

# ---- dialogued from outside (Server/Tests/python): real servers on 127.0.0.1, ephemeral ports ----
# A client that signs with the PyPI package http-message-signatures (an independent RFC 9421
# implementation), and schemathesis holding every answer to Spec/openapi.json.
PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -r Server/Tests/python/requirements.txt
DIALOGUED="$(swift build --package-path Server --show-bin-path)/dialogued" DIALOGUE="$dialogue" \
    python3 -m pytest -q -p no:cacheprovider Server/Tests/python

# ---- The server conformance suite, as an operator runs it, against a dialogued process ----
# (Spec/conformance.md#conf-server-suite): prepare the credentials, register them, serve, check;
# on SQLite, then on PostgreSQL (a new database) when there is one.
dialogued="$(swift build --package-path Server --show-bin-path)/dialogued"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
server_pid=""
trap 'if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; cleanup' EXIT
# conformance_on NAME [DATABASE_URL]: a new data directory, the suite's accounts, serve, check, stop.
conformance_on() {
    local name="$1" database="${2:-}" port
    port="$(free_port)"
    export DIALOGUED_DATABASE_URL="$database"
    [ -n "$database" ] || unset DIALOGUED_DATABASE_URL
    "$dialogue" conformance --prepare-server "$scratch/suite-$name" --domain example.org --peer-port "$(free_port)" \
        >/dev/null
    "$dialogued" init --data "$scratch/dialogued-$name" --domain example.org \
        --base-url "http://127.0.0.1:$port/dialogue/v1" --listen "127.0.0.1:$port" >/dev/null
    for account in conformance-a conformance-b conformance-list conformance-public; do
        "$dialogued" user add "$account@example.org" --card "$scratch/suite-$name/$account.card" \
            --data "$scratch/dialogued-$name"
    done
    DIALOGUED_PEERS="$scratch/suite-$name/peers.txt" "$dialogued" serve --data "$scratch/dialogued-$name" \
        2>"$scratch/dialogued-$name.log" &
    server_pid=$!
    for _ in $(seq 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/dialogue/v1/server" && break
        sleep 0.2
    done
    "$dialogue" conformance --server "http://127.0.0.1:$port/dialogue/v1" --credentials "$scratch/suite-$name" || {
        tail -n 50 "$scratch/dialogued-$name.log" >&2
        exit 1
    }
    kill "$server_pid"
    wait "$server_pid" || true
    server_pid=""
    unset DIALOGUED_DATABASE_URL
}
conformance_on sqlite
if [ -n "${DIALOGUE_TEST_POSTGRES_URL:-}" ]; then
    database="dialogued_conformance_$$"
    psql -q "$DIALOGUE_TEST_POSTGRES_URL" -c "CREATE DATABASE $database"
    conformance_on postgres "${DIALOGUE_TEST_POSTGRES_URL%/*}/$database"
    [ ! -e "$scratch/dialogued-postgres/mail.sqlite" ] || { echo "dialogued on PostgreSQL wrote mail.sqlite" >&2; exit 1; }
fi

# ---- The whole mission through the commands (scripts/demo.sh), with its outcomes checked ----
scripts/demo.sh >"$scratch/demo.log" 2>&1 || { tail -n 60 "$scratch/demo.log" >&2; exit 1; }
check_demo() {
    grep -qE "$1" "$scratch/demo.log" || { echo "demo: missing '$1'" >&2; tail -n 80 "$scratch/demo.log" >&2; exit 1; }
}
check_demo '^uploaded +5 blobs'                            # stored once: 5 blobs uploaded to alice's server
check_demo '^b\.test holds 0 blobs'                        # only a notification went to the recipients' servers
check_demo 'a\.test served 1 blobs for that'               # carol's text: one chunk fetched
check_demo 'a\.test served 3 more blobs'                   # her attachment later: its three chunks only
check_demo 'byte for byte'                                 # bob's attachment is the one sent
check_demo '^  └ msg-'                                     # the reply threads under the message
check_demo 'state +deleted'                                # both acknowledged: the message is deleted
[ "$(grep -c ' ->  410$' "$scratch/demo.log")" -eq 5 ] || { echo "demo: not every blob is 410" >&2; exit 1; }
check_demo 'error: trust-alarm: carol@c\.test: key-changed'  # the key change stops the send
check_demo '^a\.test stored 2 new blob files for it'         # a list post: stored once, whatever the members
check_demo 'First post to the list'                         # a member opens it with the list's epoch key
echo "scripts/demo.sh: every outcome of the whole mission checked"

# ---- The fuzz targets (Fuzz/: libFuzzer with AddressSanitizer, its own build folder) ----
# A smoke run of 10 seconds per target, so that a target that stops building, or crashes at
# once on its seed corpus, is caught; long runs are by hand (Fuzz/README.md).
Fuzz/run-fuzzer.sh parsers 10
