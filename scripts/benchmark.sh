#!/usr/bin/env bash
# Runs Dialogue's benchmark suite and prints every figure next to its reference and target.
#
#   1. package-benchmark (Benchmarks/): BLAKE2b, CBOR and Ed25519 through the Swift API next to
#      direct libsodium calls (interleaved in one benchmark); sealing and opening 1 KiB messages, to 1
#      and to 1,000 recipients, with process CPU time per operation (the "per core" figures).
#   2. Whole commands on a 256 MiB file: dialogue-bench-cli seal/open against age -r/-d and
#      gpg --sign --encrypt/--decrypt, interleaved round by round; wall time and peak RSS. Also the
#      seal floor: raw libsodium doing only the per-byte work of the format (encrypt, hash), on all
#      cores, storing nothing (dialogue-bench-cli floor), next to age -r.
#   3. Peak RSS sealing and opening a 1 GiB (sparse) file, with age on the same file for reference.
#
# Everything runs one thing at a time (the machine's cores are shared: never start two benchmark
# runs at once). Results go to $DIALOGUE_BENCH_OUT (default /tmp/dialogue-bench); big inputs live
# in a temporary directory under /tmp that is deleted on exit. About 8 minutes, 11 on a clean build.
#
# Environment: DIALOGUE_BENCH_ROUNDS (default 7) rounds of the 256 MiB comparison,
# DIALOGUE_BENCH_GPG_ROUNDS (default 3) of them with gpg, DIALOGUE_BENCH_SKIP_FILES=1 skips parts 2-3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${DIALOGUE_BENCH_OUT:-/tmp/dialogue-bench}
rounds=${DIALOGUE_BENCH_ROUNDS:-7}
gpg_rounds=${DIALOGUE_BENCH_GPG_ROUNDS:-3}

log() { printf '\n== %s (%s)\n' "$*" "$(date +%H:%M:%S)" >&2; }

# --- dependencies ------------------------------------------------------------------------------
log "dependencies"
scripts/install-dependencies.sh --benchmarks
scripts/install-missing.sh age gnupg:gpg time:/usr/bin/time

mkdir -p "$out"
rm -f "$out"/*.jmh.json "$out"/tools.tsv "$out"/summary.md
work=$(mktemp -d /tmp/dialogue-bench-work.XXXXXX)
cleanup() {
    if [[ -d "$work/gnupg" ]]; then GNUPGHOME="$work/gnupg" gpgconf --kill gpg-agent >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- 1. package-benchmark ----------------------------------------------------------------------
# The plugin builds the benchmark targets in release mode first (about 2.5 minutes clean).
run_package_benchmark() { # NAME, then arguments for the plugin
    local name=$1
    shift
    local dir="$work/pb-$name"
    mkdir -p "$dir"
    log "package-benchmark: $name"
    uptime >&2
    swift package --package-path Benchmarks --allow-writing-to-package-directory benchmark \
        --format jmh --path "$dir" --no-progress "$@" >"$out/$name.log" 2>&1 || {
        tail -40 "$out/$name.log" >&2
        return 1
    }
    mv "$dir"/*.jmh.json "$out/$name.jmh.json"
}
run_package_benchmark foundation --target FoundationBenchmarks
run_package_benchmark messages --target MessageBenchmarks

log "building dialogue-bench-cli"
swift build --package-path Benchmarks -c release --product dialogue-bench-cli >"$out/build-cli.log" 2>&1 || {
    tail -40 "$out/build-cli.log" >&2
    exit 1
}
cli="$root/Benchmarks/.build/release/dialogue-bench-cli"
tools="$out/tools.tsv"
: >"$tools"

if [[ "${DIALOGUE_BENCH_SKIP_FILES:-0}" != 1 ]]; then
    # Runs a command once and appends "LABEL<TAB>wall ns<TAB>peak RSS KiB<TAB>user s<TAB>system s" to
    # tools.tsv. Dirty pages of earlier runs are flushed first (untimed), so no run pays for another's
    # write-back. CPU time is recorded because it is far steadier than wall time on a shared machine.
    measure() {
        local label=$1
        shift
        sync
        local start end
        start=$(date +%s%N)
        if ! /usr/bin/time -f '%M\t%U\t%S' -o "$work/rss" "$@" >"$work/stdout" 2>"$work/stderr"; then
            echo "benchmark.sh: $label failed: $*" >&2
            cat "$work/stderr" >&2
            return 1
        fi
        end=$(date +%s%N)
        printf '%s\t%s\t%s\n' "$label" $((end - start)) "$(tail -n 1 "$work/rss")" >>"$tools"
    }

    # --- 2. 256 MiB against age and gpg ----------------------------------------------------------
    log "256 MiB: inputs and throwaway keys"
    "$cli" make-file "$work/in.bin" $((256 << 20))
    age-keygen -o "$work/age-key.txt" 2>/dev/null
    age_recipient=$(age-keygen -y "$work/age-key.txt")
    export GNUPGHOME="$work/gnupg"
    mkdir -m 700 "$GNUPGHOME"
    gpg --batch --quiet --passphrase '' --quick-gen-key 'bench <b@example.org>' ed25519 sign 2>/dev/null
    fingerprint=$(gpg --list-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')
    gpg --batch --quiet --passphrase '' --quick-add-key "$fingerprint" cv25519 encr 2>/dev/null
    gpg_common=(--batch --yes --quiet --pinentry-mode loopback --passphrase '')

    seal_dialogue() { rm -rf "$work/store" && measure "$1" "$cli" seal "$work/in.bin" "$work/store" "$work/envelope"; }
    open_dialogue() { rm -f "$work/out.bin" && measure "$1" "$cli" open "$work/envelope" "$work/store" "$work/out.bin"; }
    # Diagnostics (see Benchmarks/Sources/DialogueBenchCLI/DiagnosticStore.swift): the same seal and
    # open with storage switched off, or with the library's I/O done differently.
    seal_variant() { # LABEL STORE-KIND
        rm -rf "$work/store-$2" && DIALOGUE_BENCH_STORE=$2 measure "$1" "$cli" seal "$work/in.bin" "$work/store-$2" "$work/envelope-$2"
        rm -rf "$work/store-$2"
    }
    open_sliced() {
        rm -f "$work/out-sliced.bin" &&
            DIALOGUE_BENCH_STORE=sliced-nofsync DIALOGUE_BENCH_WRITE=sliced measure "$1" "$cli" open "$work/envelope" "$work/store" "$work/out-sliced.bin"
        rm -f "$work/out-sliced.bin"
    }

    # One untimed warm-up of each (page cache, gpg-agent start), then interleaved rounds.
    seal_dialogue warmup && open_dialogue warmup
    measure warmup gpg "${gpg_common[@]}" -r b@example.org --sign --encrypt -o "$work/small.gpg" "$work/age-key.txt"
    for round in $(seq 1 "$rounds"); do
        log "256 MiB: round $round of $rounds"
        uptime >&2
        # Every command's output is deleted before it runs (and dirty pages flushed), the same for all.
        seal_dialogue seal256-dialogue
        rm -f "$work/in.age" && measure seal256-age age -r "$age_recipient" -o "$work/in.age" "$work/in.bin"
        if ((round <= gpg_rounds)); then
            rm -f "$work/in.gpg" &&
                measure seal256-gpg gpg "${gpg_common[@]}" -r b@example.org --sign --encrypt -o "$work/in.gpg" "$work/in.bin"
        fi
        open_dialogue open256-dialogue
        rm -f "$work/out-age.bin" && measure open256-age age -d -i "$work/age-key.txt" -o "$work/out-age.bin" "$work/in.age"
        if ((round <= gpg_rounds)); then
            rm -f "$work/out-gpg.bin" && measure open256-gpg gpg "${gpg_common[@]}" -o "$work/out-gpg.bin" --decrypt "$work/in.gpg"
            measure seal256-floor "$cli" floor "$work/in.bin"
            seal_variant seal256-diag-discard discard
            seal_variant seal256-diag-nofsync nofsync
            seal_variant seal256-diag-sliced-nofsync sliced-nofsync
            open_sliced open256-diag-sliced
        fi
        rm -f "$work/out-age.bin" "$work/out-gpg.bin"
    done
    cmp "$work/in.bin" "$work/out.bin" || {
        echo "benchmark.sh: the opened attachment differs from the input" >&2
        exit 1
    }
    rm -rf "$work/in.bin" "$work/out.bin" "$work/in.age" "$work/in.gpg" "$work/store"

    # --- 3. peak memory, 1 GiB -------------------------------------------------------------------
    log "1 GiB: peak memory"
    truncate -s 1G "$work/big.bin"
    seal_big() { rm -rf "$work/store" && measure seal1g-dialogue "$cli" seal "$work/big.bin" "$work/store" "$work/envelope"; }
    seal_big
    rm -f "$work/out.bin"
    measure open1g-dialogue "$cli" open "$work/envelope" "$work/store" "$work/out.bin"
    cmp "$work/big.bin" "$work/out.bin" || {
        echo "benchmark.sh: the opened 1 GiB attachment differs from the input" >&2
        exit 1
    }
    rm -rf "$work/store" "$work/out.bin"
    measure seal1g-age age -r "$age_recipient" -o "$work/big.age" "$work/big.bin"
    measure open1g-age age -d -i "$work/age-key.txt" -o "$work/out.bin" "$work/big.age"
    rm -f "$work/big.bin" "$work/big.age" "$work/out.bin"
fi

# --- summary -----------------------------------------------------------------------------------
log "summary"
"$cli" summary --foundation "$out/foundation.jmh.json" --messages "$out/messages.jmh.json" --tools "$tools" |
    tee "$out/summary.md"
echo "(raw results in $out)" >&2
