#!/usr/bin/env bash
# The main job: a short end-to-end tour of Dialogue with the `dialogue` command.
# Alice and Bob create identities; Alice seals a signed, encrypted message with an
# attachment into her blob store; Bob opens it and replies; the reply carries the
# hash of the message it answers. Everything happens in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
swift build --product dialogue >/dev/null
dialogue="$(swift build --product dialogue --show-bin-path)/dialogue"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s|$dialogue|dialogue|g; s|$work/||g"; "$@"; }

step "1. Alice and Bob create identities (secret file, mode 0600, and a public card)"
run "$dialogue" identity create alice@example.org --output "$work/alice.identity"
run "$dialogue" identity create bob@example.net --output "$work/bob.identity"

step "2. Alice seals a message with a 3 MiB attachment to Bob's card into her blob store"
head -c 3145728 /dev/urandom >"$work/report.bin"
run "$dialogue" seal --from "$work/alice.identity" --to "$work/bob.identity.card" --store "$work/alice-store" \
    --subject "Quarterly report" --text "Hi Bob, the report is attached." --attach "$work/report.bin" | tee "$work/sealed.txt"
envelope=$(awk '/^envelope/ {print $2; exit}' "$work/sealed.txt")
echo "(the store now holds $(find "$work/alice-store" -type f -name 'blob-*' | wc -l) blobs: one envelope, one text chunk, three attachment chunks)"

step "3. Bob opens it: signature, recipient list and every chunk are checked before anything is shown"
run "$dialogue" open --as "$work/bob.identity" --store "$work/alice-store" "$envelope" --out "$work/bob-inbox"
cmp "$work/report.bin" "$work/bob-inbox/report.bin" && echo "(the attachment Bob received is identical)"

step "4. Anyone can check a blob against its name; nobody else can read the message"
run "$dialogue" hash "$work/report.bin"
run "$dialogue" open --as "$work/alice.identity" --store "$work/alice-store" "$envelope" || echo "(exit status $?: Alice is the sender, not a recipient)"

step "5. Bob replies; the reply references the message it answers"
run "$dialogue" reply --as "$work/bob.identity" --store "$work/alice-store" "$envelope" --text "Thanks, got it." | tee "$work/reply.txt"
reply=$(awk '/^envelope/ {print $2; exit}' "$work/reply.txt")
run "$dialogue" open --as "$work/alice.identity" --store "$work/alice-store" "$reply"

step "6. Trust on first use: Bob pinned Alice's key; they compare safety numbers and Bob verifies"
run "$dialogue" trust list --as "$work/bob.identity"
run "$dialogue" trust safety-number --as "$work/bob.identity" alice@example.org | tee "$work/safety.txt"
fingerprint=$(awk '/^fingerprint/ {print $2; exit}' "$work/safety.txt")
run "$dialogue" trust verify --as "$work/bob.identity" alice@example.org "$fingerprint"

step "7. Alice rotates her key; her next message carries the statement and Bob sees a quiet notice"
run "$dialogue" identity rotate --identity "$work/alice.identity" --output "$work/alice2.identity"
run "$dialogue" seal --from "$work/alice2.identity" --to "$work/bob.identity.card" --store "$work/alice-store" \
    --text "New key, same me." | tee "$work/rotated.txt"
rotated=$(awk '/^envelope/ {print $2; exit}' "$work/rotated.txt")
run "$dialogue" open --as "$work/bob.identity" --store "$work/alice-store" "$rotated"

step "8. Someone else claims alice@example.org: a loud alarm, and the pin is kept"
run "$dialogue" identity create alice@example.org --output "$work/mallory.identity"
run "$dialogue" seal --from "$work/mallory.identity" --to "$work/bob.identity.card" --store "$work/alice-store" \
    --text "Please pay this invoice." | tee "$work/fake.txt"
fake=$(awk '/^envelope/ {print $2; exit}' "$work/fake.txt")
run "$dialogue" open --as "$work/bob.identity" --store "$work/alice-store" "$fake"

step "9. The encoding underneath is strict deterministic CBOR"
run "$dialogue" cbor encode '{1: h'"'"'00ff'"'"', "a": [1, -2, true, null]}'
echo 'a2 01 02 03 04' >"$work/good.hex"
run "$dialogue" cbor check --hex <"$work/good.hex"
echo 'a2 03 04 01 02' >"$work/bad.hex"
run "$dialogue" cbor check --hex <"$work/bad.hex" || echo "(exit status $?: map keys out of order are rejected, never normalized)"
