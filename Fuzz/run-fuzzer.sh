#!/usr/bin/env bash
# Builds the libFuzzer binary (every target in one, with ASan) and fuzzes one target, or each
# in turn, for SECONDS (default 600).
#
#   Fuzz/run-fuzzer.sh TARGET [SECONDS]    # one target, e.g. card, submission, request
#   Fuzz/run-fuzzer.sh all [SECONDS]       # every target, SECONDS each
#   Fuzz/run-fuzzer.sh parsers [SECONDS]   # every target but http and http-wire (no server stack)
#   Fuzz/run-fuzzer.sh list                # the target names
#
# The seed corpora, contexts and dictionaries are regenerated from TestVectors/*.json by
# Fuzz/make-corpus.py into Fuzz/corpus, Fuzz/contexts and Fuzz/dictionaries (gitignored). Each
# target fuzzes in Fuzz/corpus-work/TARGET (gitignored), seeded from Fuzz/corpus/TARGET, so
# the seeds never change. Crashes, leaks, timeouts and out-of-memory inputs are written as
# Fuzz/TARGET-crash-*, Fuzz/TARGET-oom-* and so on (gitignored); each becomes a regression test or a vector
# before it is fixed. A log per target goes to Fuzz/fuzz-TARGET.log.
#
# FUZZ_JOBS=N runs N processes on the target (libFuzzer's -fork); FUZZ_FLAGS adds flags.
set -euo pipefail

target="${1:-}"
seconds="${2:-600}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
targets=(cbor id-parse address card secret envelope chunk safety-parse statement server-document
    submission notification ack request list-descriptor list-event list-keys list-post list-entry structured-field
    content-digest card-response peers-file http http-wire)

if [ -z "$target" ] || [ "$target" = list ]; then
    printf '%s\n' "${targets[@]}"
    [ -n "$target" ] || { echo "usage: Fuzz/run-fuzzer.sh TARGET|all [SECONDS]" >&2; exit 2; }
    exit 0
fi

cd "$root"
python3 "$here/make-corpus.py" >/dev/null

# Release with the sanitizers: faster than debug, and the preconditions the targets check stay
# active in release builds.
#
# The -Xswiftc flag matters: SwiftPM turns `--sanitize=fuzzer --sanitize=address` into two
# separate `-sanitize=` options, and the Swift driver keeps only the last one, in an order that
# varies from build to build. Without the combined flag the binary silently lacks either ASan or
# the coverage instrumentation (libFuzzer then warns "no interesting inputs were found" and
# never grows its corpus). The combined flag comes last and wins.
# build PRODUCT: the sanitized binary of PRODUCT, checked for its instrumentation. The parsers'
# targets are DialogueFuzzer; `http` and `http-wire` are DialogueHTTPFuzzer, which links the server stack, so it is
# built only when it runs.
build() {
    local product="$1"
    swift build --package-path Fuzz --scratch-path Fuzz/.build-fuzz -c release \
        --product "$product" --sanitize=fuzzer --sanitize=address \
        -Xswiftc -sanitize=fuzzer,address
    # Refuse to run an uninstrumented binary.
    # (The section list is read whole first: `objdump | grep -q` under pipefail fails whenever grep
    # stops reading before objdump has written everything.)
    local binary="$here/.build-fuzz/release/$product" sections
    sections="$(objdump -h "$binary")"
    if ! grep -q __sancov_cntrs <<<"$sections" || ! grep -q asan_globals <<<"$sections"; then
        echo "error: $binary lacks coverage or ASan instrumentation" >&2
        exit 1
    fi
}
with_http=1
if [ "$target" = parsers ]; then
    target=all
    with_http=0
    targets=("${targets[@]:0:${#targets[@]}-2}") # all but http and http-wire, the last two
fi
case "$target" in http | http-wire) ;; *) build DialogueFuzzer ;; esac
case "$target" in http | http-wire) build DialogueHTTPFuzzer ;; all) [ "$with_http" = 0 ] || build DialogueHTTPFuzzer ;; esac

run_one() {
    local name="$1"
    local work="$here/corpus-work/$name"
    mkdir -p "$work"
    cp -n "$here/corpus/$name"/* "$work"/ 2>/dev/null || true
    local jobs=()
    if [ -n "${FUZZ_JOBS:-}" ]; then jobs=(-fork="$FUZZ_JOBS" -ignore_crashes=0); fi
    # -malloc_limit_mb: no single allocation above 64 MB, so that a length claimed by an input
    # is caught if it is allocated before it is checked; -rss_limit_mb bounds the whole process.
    local log="$here/fuzz-$name.log" binary="$here/.build-fuzz/release/DialogueFuzzer"
    local leaks="" per_input=()
    case "$name" in
    http | http-wire)
        binary="$here/.build-fuzz/release/DialogueHTTPFuzzer"
        leaks="suppressions=$here/lsan-suppressions.txt"
        ;;
    esac
    # http-wire's in-memory channel runs its event loop on a Dispatch queue, whose thread frees
    # after the input returns: libFuzzer would scan the heap for leaks after every input (11
    # instead of 60 exec/s). LeakSanitizer still checks the whole run when the process exits.
    if [ "$name" = http-wire ]; then per_input=(-detect_leaks=0); fi
    # SWIFT_BACKTRACE=enable=no: the Swift runtime's crash handler fights ASan's (and can hang
    # the dying process); libFuzzer reports the trap and writes the input itself.
    local status=0
    # shellcheck disable=SC2086
    (cd "$here" && LSAN_OPTIONS="$leaks" SWIFT_BACKTRACE=enable=no DIALOGUE_FUZZ_TARGET="$name" DIALOGUE_FUZZ_CONTEXTS="$here/contexts" "$binary" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -malloc_limit_mb=64 \
        -dict="$here/dictionaries/$name.dict" \
        -print_final_stats=1 -artifact_prefix="$here/$name-" \
        "${jobs[@]}" "${per_input[@]}" ${FUZZ_FLAGS:-} "$work" >"$log" 2>&1) || status=$?
    grep -E '^#[0-9]+ +(INITED|DONE)|^stat::(number_of_executed_units|peak_rss_mb)|ERROR|SUMMARY|Fatal error|precondition' "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "error: $name failed (status $status); see $log and Fuzz/$name-*" >&2
        return 1
    fi
}

if [ "$target" = all ]; then
    status=0
    for name in "${targets[@]}"; do
        echo "== $name ($seconds s)"
        run_one "$name" || status=1
    done
    exit $status
fi
printf '%s\n' "${targets[@]}" | grep -qx "$target" || { echo "unknown target '$target'; try: Fuzz/run-fuzzer.sh list" >&2; exit 2; }
run_one "$target"
