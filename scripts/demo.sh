#!/usr/bin/env bash
# The main job: the whole mission of Dialogue on loopback, with the real commands.
#
# Three mail servers (dialogued, SQLite) start on 127.0.0.1 for a.test, b.test and c.test, which a
# peers file names (a private network: no DNS). Alice, on A, sends Bob (B) and Carol (C) one
# message with a 3 MiB attachment: it is stored once, on A; B and C are notified; Carol reads
# only the text; Bob reads everything and replies by hash, and the thread is rebuilt locally;
# a stranger's first message says "first contact"; a key change without a rotation stops a send
# before anything is sealed; both acknowledge, and A deletes the message (410). Then a mailing
# list on A: Bob and Carol join and read a post stored once; Bob is removed (the key rolls, his
# polls are refused); Dave joins later and reads the whole archive. Everything happens in a
# temporary directory and every process is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
echo "building dialogue and dialogued (the first build takes several minutes)..."
swift build --product dialogue >/dev/null
swift build --package-path Server --product dialogued >/dev/null
dialogue="$(swift build --show-bin-path)/dialogue"
dialogued="$(swift build --package-path Server --show-bin-path)/dialogued"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { sed "s|$dialogue|dialogue|g; s|$dialogued|dialogued|g; s|$work/||g"; }
run() { printf '$ %s\n' "$*" | show; "$@" 2>&1 | show; }
# Blob fetches that a.test served so far: its log has one line per request.
fetches() { grep -c 'method=GET route=/blobs/{blob} status=200' "$work/a.test.log" || true; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export DIALOGUE_PASSPHRASE="demo passphrase"

step "1. Three servers, one peers file (a private network: no DNS, no central authority)"
declare -A port
for domain in a.test b.test c.test; do
    port[$domain]=$(free_port)
    "$dialogued" init --data "$work/$domain" --domain "$domain" \
        --base-url "http://127.0.0.1:${port[$domain]}/dialogue/v1" --listen "127.0.0.1:${port[$domain]}" \
        | grep "peers-file line" | sed 's/^ *peers-file line *//' >>"$work/peers.txt"
done
run cat "$work/peers.txt"
for domain in a.test b.test c.test; do
    DIALOGUED_PEERS="$work/peers.txt" DIALOGUED_LOG_LEVEL=info \
        "$dialogued" serve --data "$work/$domain" 2>>"$work/$domain.log" &
    pids+=($!)
done
for domain in a.test b.test c.test; do
    for _ in $(seq 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:${port[$domain]}/dialogue/v1/server" && break
        sleep 0.1
    done
done
echo "dialogued is serving a.test on :${port[a.test]}, b.test on :${port[b.test]}, c.test on :${port[c.test]}"

step "2. Each person sets up an account; the operator registers the card (never a password)"
for user in alice@a.test bob@b.test carol@c.test; do
    domain=${user#*@}
    name=${user%@*}
    run "$dialogue" account add "$user" --server "http://127.0.0.1:${port[$domain]}/dialogue/v1" \
        --peers "$work/peers.txt" --home "$work/$name"
    "$dialogued" user add "$user" --card "$work/$name/identity.card" --data "$work/$domain" | show
done

step "3. Alice sends Bob and Carol one message with a 3 MiB attachment"
head -c 3145728 /dev/urandom >"$work/report.pdf"
run "$dialogue" send --home "$work/alice" --to bob@b.test --to carol@c.test --subject "Quarterly report" \
    --text "Hi both, the report is attached. Alice" --attach "$work/report.pdf"

step "4. It is stored once, on Alice's server: one file per blob, whatever the number of recipients"
run find "$work/a.test/blobs" -type f -printf '%s bytes  %f\n'
find "$work/a.test/blobs" -type f -printf '%f\n' >"$work/message-blobs.txt"
for domain in b.test c.test; do
    echo "$domain holds $(find "$work/$domain/blobs" -type f | wc -l) blobs: only a notification was sent there"
done

step "5. Carol is notified, and reads only the text: only the envelope and the text's chunk are fetched"
run "$dialogue" sync --home "$work/carol"
before=$(fetches)
run "$dialogue" read 1 --part 1 --home "$work/carol"
echo "a.test served $(($(fetches) - before)) blobs for that (the envelope came with the sync)"
run "$dialogue" inbox --home "$work/carol"

step "6. Bob reads everything. Alice is a stranger to him: first contact, not yet verified. Holding it all, his client acknowledges (his server keeps a copy first)"
run "$dialogue" sync --home "$work/bob"
run "$dialogue" read 1 --out "$work/bob-saved" --home "$work/bob"
cmp "$work/report.pdf" "$work/bob-saved/report.pdf" && echo "the attachment Bob saved is byte for byte the one Alice sent"

step "7. Later, Carol fetches the attachment too: only its three chunks, nothing twice"
before=$(fetches)
run "$dialogue" read 1 --part 2 --out "$work/carol-saved" --auto-ack off --home "$work/carol"
echo "a.test served $(($(fetches) - before)) more blobs"

step "8. Bob replies; the reply carries the hash of Alice's message, and Alice's client rebuilds the thread"
run "$dialogue" reply 1 --text "Thanks Alice, got it." --home "$work/bob"
run "$dialogue" sync --home "$work/alice"
run "$dialogue" thread 1 --home "$work/alice"

step "9. Carol acknowledges too (without a copy: one device); Alice's server deletes the message"
run "$dialogue" ack 1 --no-keep --home "$work/carol"
for _ in $(seq 50); do
    "$dialogue" status 1 --home "$work/alice" 2>&1 | grep -q "deleted" && break
    sleep 0.2
done
run "$dialogue" status 1 --home "$work/alice"
echo "blob files of the message left on a.test: $(find "$work/a.test/blobs" -type f | grep -cFf "$work/message-blobs.txt" || true)"
while read -r blob; do
    printf '$ curl -o /dev/null -w "%%{http_code}" .../blobs/%s  ->  ' "${blob:0:20}…"
    curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:${port[a.test]}/dialogue/v1/blobs/$blob"
done <"$work/message-blobs.txt"

step "10. Carol's key changes without a rotation statement: Alice's next send stops before sealing"
run "$dialogue" account add carol@c.test --server "http://127.0.0.1:${port[c.test]}/dialogue/v1" \
    --peers "$work/peers.txt" --home "$work/carol-new"
"$dialogued" user remove carol@c.test --data "$work/c.test" >/dev/null
"$dialogued" user add carol@c.test --card "$work/carol-new/identity.card" --data "$work/c.test" >/dev/null
echo "(the operator of c.test now serves a new card for carol@c.test)"
run "$dialogue" send --home "$work/alice" --to carol@c.test --subject "Still there?" --text "Hello?" \
    || echo "(exit status $?: nothing was sealed to the new key; verify it, then --accept-key-change carol@c.test)"

step "11. Mailing lists: a location on a.test that members poll; each post stored once, sealed to the list's epoch key"
# The list is an account like any user; Alice runs it from its own home (the list agent holds its identity).
run "$dialogue" account add dev@a.test --server "http://127.0.0.1:${port[a.test]}/dialogue/v1" \
    --peers "$work/peers.txt" --home "$work/dev"
"$dialogued" user add dev@a.test --card "$work/dev/identity.card" --data "$work/a.test" | show
run "$dialogue" list create --owner alice@a.test --home "$work/dev"
run "$dialogue" list add bob@b.test --home "$work/dev"
run "$dialogue" list add carol@c.test --home "$work/dev"
find "$work/a.test/blobs" -type f -printf '%f\n' | sort >"$work/blobs-before.txt"
run "$dialogue" list post dev@a.test --subject "Welcome" --text "First post to the list. Bob" --home "$work/bob"
echo "a.test stored $(find "$work/a.test/blobs" -type f -printf '%f\n' | sort | comm -13 "$work/blobs-before.txt" - | wc -l) new blob files for it: the post's envelope and its one chunk, once, whatever the number of members"
# Epoch keys travel as mail from the list: follow until the posts open (or fail the demo).
follow_until() {
    for _ in $(seq 100); do
        "$dialogue" list follow dev@a.test --home "$1" >/dev/null 2>&1 || true
        opened=$("$dialogue" list read dev@a.test --home "$1" 2>/dev/null | grep '^#' \
            | grep -vc '(key not received yet)\|(not opened)\|(posted before' || true)
        [ "$opened" -ge "$2" ] && return 0
        sleep 0.2
    done
    echo "FAILED: $1 did not open $2 list posts"; exit 1
}
follow_until "$work/carol-new" 1
run "$dialogue" list read dev@a.test 4 --home "$work/carol-new" | tee "$work/list-read.out"
grep -q "First post to the list" "$work/list-read.out" || { echo "FAILED: Carol cannot read the post"; exit 1; }
# Bob is removed: the key rolls, Carol receives the new epoch, Bob does not.
run "$dialogue" list remove bob@b.test --home "$work/dev"
run "$dialogue" list post dev@a.test --subject "After Bob" --text "Bob is not on the list any more." --home "$work/carol-new"
if "$dialogue" list follow dev@a.test --home "$work/bob" >"$work/bob-follow.out" 2>&1; then
    echo "FAILED: a removed member could still read the index"; exit 1
fi
show <"$work/bob-follow.out"
echo "(Bob, removed, is refused: 403, and the post after his removal is sealed to an epoch he never received)"
# Dave joins later: the history is the whole archive, so he reads both posts.
run "$dialogue" account add dave@b.test --server "http://127.0.0.1:${port[b.test]}/dialogue/v1" \
    --peers "$work/peers.txt" --home "$work/dave"
"$dialogued" user add dave@b.test --card "$work/dave/identity.card" --data "$work/b.test" | show
run "$dialogue" list add dave@b.test --home "$work/dev"
follow_until "$work/dave" 2
run "$dialogue" list read dev@a.test --home "$work/dave"
run "$dialogue" list members dev@a.test --home "$work/dev"

echo
echo "done in $(($(date +%s) - started)) s after the build; the servers are stopped and $work is removed"
